"""The support page counts the requests the desk took up (models.COUNTED:
arranging, under way, completed), not every request sent: its partial index
follows the new condition."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("support_requests", "0010_dates_within_the_portals_years"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="supportrequest",
            name="supportrequest_counted_years",
        ),
        migrations.AddIndex(
            model_name="supportrequest",
            index=models.Index(
                condition=models.Q(
                    ("kind__in", ["activity_support", "overseas_research"]),
                    ("status__in", ("arranging", "in_progress", "completed")),
                ),
                fields=["fiscal_year", "kind"],
                name="supportrequest_counted_years",
            ),
        ),
    ]
