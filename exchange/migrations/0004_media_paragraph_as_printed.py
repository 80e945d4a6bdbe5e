from django.db import migrations

# The collaboration load_brochures once drew out of the 2019 edition's closing
# paragraph on the media page; the paragraph is now kept as printed (the 2019
# media introduction's note for the public), so the record would say it twice.
PEOPLES_DAILY = "人民日報社と連携した日本の各地域の観光情報の発信"


def remove_the_drawn_out_record(apps, schema_editor):
    MediaCollaboration = apps.get_model("exchange", "MediaCollaboration")
    MediaCollaboration.objects.filter(
        pk=5, fiscal_year=2018, title_ja=PEOPLES_DAILY
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0003_staff_note"),
    ]

    operations = [
        migrations.RunPython(remove_the_drawn_out_record, migrations.RunPython.noop),
    ]
