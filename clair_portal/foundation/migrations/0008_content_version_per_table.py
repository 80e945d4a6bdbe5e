from django.db import migrations, models


class Migration(migrations.Migration):
    """A content version per table instead of one for the whole site: the
    page cache's trigger (installed after migrate) writes each table's row,
    so the one row of before goes."""

    dependencies = [
        ("clair_portal", "0007_outgoing_mail_claim"),
    ]

    operations = [
        migrations.RunSQL(
            "DELETE FROM clair_portal_contentversion", migrations.RunSQL.noop
        ),
        migrations.AddField(
            model_name="contentversion",
            name="table",
            field=models.CharField(
                default="", max_length=63, unique=True, verbose_name="table"
            ),
            preserve_default=False,
        ),
    ]
