import clair_portal.foundation.staff_notes
from django.db import migrations


class Migration(migrations.Migration):
    """The editorial note, which the public pages showed, becomes a note for
    staff (clair_portal.foundation.staff_notes): shown in the admin and by
    check_data only."""

    dependencies = [
        ("seminars", "0003_history"),
    ]

    operations = [
        *[
            migrations.RenameField(model_name="seminar", old_name=f"note{suffix}", new_name=f"staff_note{suffix}")
            for suffix in ("", "_ja", "_zh_hans")
        ],
        *[
            migrations.RenameField(
                model_name="historicalseminar", old_name=f"note{suffix}", new_name=f"staff_note{suffix}"
            )
            for suffix in ("_ja", "_zh_hans")
        ],
        migrations.AlterField(
            model_name='historicalseminar',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='historicalseminar',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='seminar',
            name='staff_note',
            field=clair_portal.foundation.staff_notes.StaffNoteField(),
        ),
        migrations.AlterField(
            model_name='seminar',
            name='staff_note_ja',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
        migrations.AlterField(
            model_name='seminar',
            name='staff_note_zh_hans',
            field=clair_portal.foundation.staff_notes.StaffNoteField(null=True),
        ),
    ]
