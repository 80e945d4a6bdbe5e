import clair_portal.foundation.staff_notes
import django.db.models.deletion
from django.db import migrations, models


def renames(model):
    """A note that was shown to the public becomes a note for staff."""
    fields = [(model, suffix) for suffix in ("", "_ja", "_zh_hans")]
    fields += [(f"historical{model}", suffix) for suffix in ("_ja", "_zh_hans")]
    return [
        migrations.RenameField(
            model_name=name, old_name=f"note{suffix}", new_name=f"staff_note{suffix}"
        )
        for name, suffix in fields
    ]


def to_the_newest_edition(apps, schema_editor):
    """The introductions and contacts kept so far are the newest edition's
    (the Chinese text of 2023 with its Japanese translation, the 2023
    telephone number); load_brochures adds the 2019 edition's own."""
    BrochureEdition = apps.get_model("clair_portal", "BrochureEdition")
    newest = BrochureEdition.objects.order_by("-year").first()
    for name in ("ProgramIntro", "OfficeContact"):
        rows = apps.get_model("clair_portal", name).objects.filter(edition=None)
        if newest is None:
            rows.delete()  # no edition: nothing was loaded that they belong to
        else:
            rows.update(edition=newest)
    # The page cache's deferred triggers (page_cache.py) would otherwise still
    # be pending when the next operation alters these tables.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    """Texts per edition: a program's introduction (and the notes printed with
    its tables) and the office's contacts belong to the brochure edition that
    printed them, one per program (site) and edition. Notes written to
    reconcile the editions become notes for staff, apart from what the
    public reads."""

    dependencies = [
        ("clair_portal", "0011_outgoing_mail_reply_to"),
    ]

    operations = [
        *renames("keyfigure"),
        *renames("programintro"),
        migrations.AlterModelOptions(
            name='officecontact',
            options={'ordering': ['site', '-edition__year'], 'verbose_name': 'office contact', 'verbose_name_plural': 'office contacts'},
        ),
        migrations.AlterModelOptions(
            name='programintro',
            options={'ordering': ['program', '-edition__year'], 'verbose_name': 'program introduction', 'verbose_name_plural': 'program introductions'},
        ),
        migrations.AddField(
            model_name='brochureedition',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AddField(
            model_name='brochureedition',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='brochureedition',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalbrochureedition',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalbrochureedition',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalofficecontact',
            name='edition',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AddField(
            model_name='historicalofficecontact',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalofficecontact',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalphoto',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalphoto',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='historicalprogramintro',
            name='edition',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AddField(
            model_name='historicalprogramintro',
            name='public_note_ja',
            field=models.TextField(blank=True, help_text="Printed with the program's tables (a closing sentence, a box): shown on the public pages and in the printed brochure.", null=True, verbose_name='note for the public'),
        ),
        migrations.AddField(
            model_name='historicalprogramintro',
            name='public_note_zh_hans',
            field=models.TextField(blank=True, help_text="Printed with the program's tables (a closing sentence, a box): shown on the public pages and in the printed brochure.", null=True, verbose_name='note for the public'),
        ),
        migrations.AddField(
            model_name='officecontact',
            name='edition',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AddField(
            model_name='officecontact',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AddField(
            model_name='officecontact',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='officecontact',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='photo',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AddField(
            model_name='photo',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='photo',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AddField(
            model_name='programintro',
            name='edition',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='intros', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AddField(
            model_name='programintro',
            name='public_note',
            field=models.TextField(blank=True, help_text="Printed with the program's tables (a closing sentence, a box): shown on the public pages and in the printed brochure.", verbose_name='note for the public'),
        ),
        migrations.AddField(
            model_name='programintro',
            name='public_note_ja',
            field=models.TextField(blank=True, help_text="Printed with the program's tables (a closing sentence, a box): shown on the public pages and in the printed brochure.", null=True, verbose_name='note for the public'),
        ),
        migrations.AddField(
            model_name='programintro',
            name='public_note_zh_hans',
            field=models.TextField(blank=True, help_text="Printed with the program's tables (a closing sentence, a box): shown on the public pages and in the printed brochure.", null=True, verbose_name='note for the public'),
        ),
        migrations.AlterField(
            model_name='brochureedition',
            name='source_language',
            field=models.CharField(choices=[('ja', '日本語'), ('zh-hans', '中文')], help_text='The language the edition was printed in: its texts in this language are as printed, those in the other language are translations.', max_length=7, verbose_name='language of the original'),
        ),
        migrations.AlterField(
            model_name='historicalbrochureedition',
            name='source_language',
            field=models.CharField(choices=[('ja', '日本語'), ('zh-hans', '中文')], help_text='The language the edition was printed in: its texts in this language are as printed, those in the other language are translations.', max_length=7, verbose_name='language of the original'),
        ),
        migrations.AlterField(
            model_name='historicalkeyfigure',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalkeyfigure',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalofficecontact',
            name='site',
            field=models.CharField(choices=[('beijing', 'Beijing office'), ('tokyo', 'Tokyo head office')], max_length=10, verbose_name='site'),
        ),
        migrations.AlterField(
            model_name='historicalprogramintro',
            name='program',
            field=models.CharField(choices=[('sister_cities', 'Sister cities and offices in China'), ('seminars', 'Japan-China Regional Exchange Seminar'), ('support', 'Activity support and overseas research'), ('travel_expo', 'Travel expo exhibitions'), ('cooking', 'Cooking experience events'), ('livestream', 'Livestream promotion'), ('jet', 'JET Programme'), ('lgotp', 'LGOTP'), ('executive_seminar', 'Executive exchange seminar'), ('experts', 'Expert dispatch'), ('media', 'Media and university collaborations'), ('research', 'Research on China')], max_length=30, verbose_name='program'),
        ),
        migrations.AlterField(
            model_name='historicalprogramintro',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalprogramintro',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='officecontact',
            name='site',
            field=models.CharField(choices=[('beijing', 'Beijing office'), ('tokyo', 'Tokyo head office')], max_length=10, verbose_name='site'),
        ),
        migrations.AlterField(
            model_name='programintro',
            name='program',
            field=models.CharField(choices=[('sister_cities', 'Sister cities and offices in China'), ('seminars', 'Japan-China Regional Exchange Seminar'), ('support', 'Activity support and overseas research'), ('travel_expo', 'Travel expo exhibitions'), ('cooking', 'Cooking experience events'), ('livestream', 'Livestream promotion'), ('jet', 'JET Programme'), ('lgotp', 'LGOTP'), ('executive_seminar', 'Executive exchange seminar'), ('experts', 'Expert dispatch'), ('media', 'Media and university collaborations'), ('research', 'Research on China')], max_length=30, verbose_name='program'),
        ),
        migrations.AlterField(
            model_name='programintro',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AlterField(
            model_name='programintro',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='programintro',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.RunPython(to_the_newest_edition, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='officecontact',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AlterField(
            model_name='programintro',
            name='edition',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='intros', to='clair_portal.brochureedition', verbose_name='edition'),
        ),
        migrations.AddConstraint(
            model_name='officecontact',
            constraint=models.UniqueConstraint(fields=('site', 'edition'), name='officecontact_one_per_site_and_edition', violation_error_message='This edition already has the contact of this site.'),
        ),
        migrations.AddConstraint(
            model_name='programintro',
            constraint=models.UniqueConstraint(fields=('program', 'edition'), name='programintro_one_per_program_and_edition', violation_error_message='This edition already has an introduction of this program.'),
        ),
    ]
