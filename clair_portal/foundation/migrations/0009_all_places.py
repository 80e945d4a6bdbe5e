import django.contrib.postgres.indexes
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from clair_portal.foundation.place_search import search_text


def fill_search(apps, schema_editor):
    """The search column of the places there are (load_brochures loads the
    official lists and fills it for the rest)."""
    for model_name, parent in (
        ("JapaneseLocalGovernment", "prefecture"),
        ("ChineseLocalGovernment", "province"),
    ):
        model = apps.get_model("clair_portal", model_name)
        places = list(model.objects.select_related(parent))
        for place in places:
            region = getattr(place, parent)
            place.search = search_text(
                [place.name_ja, place.name_zh_hans],
                [region.name_ja, region.name_zh_hans] if region else (),
                place.reading,
            )
        model.objects.bulk_update(places, ["search"], batch_size=500)


class Migration(migrations.Migration):
    """Every place of the official lists (fixtures/places/): the kinds they
    need (Tokyo's special wards; China's prefectures, autonomous prefectures,
    leagues and a county-level city), a reading, and the folded names the
    request forms search, with a trigram index (pg_trgm, which
    support_requests.0004 may have created already)."""

    dependencies = [
        ('clair_portal', '0008_content_version_per_table'),
    ]

    operations = [
        TrigramExtension(),
        migrations.RemoveConstraint(
            model_name='chineselocalgovernment',
            name='clg_city_has_province',
        ),
        migrations.AddField(
            model_name='chineselocalgovernment',
            name='reading',
            field=models.CharField(blank=True, help_text='In katakana. The request forms find the place by it too.', max_length=100, verbose_name='reading'),
        ),
        migrations.AddField(
            model_name='chineselocalgovernment',
            name='search',
            field=models.TextField(default='', editable=False),
        ),
        migrations.AddField(
            model_name='historicalchineselocalgovernment',
            name='reading',
            field=models.CharField(blank=True, help_text='In katakana. The request forms find the place by it too.', max_length=100, verbose_name='reading'),
        ),
        migrations.AddField(
            model_name='historicaljapaneselocalgovernment',
            name='reading',
            field=models.CharField(blank=True, help_text='In katakana. The request forms find the place by it too.', max_length=100, verbose_name='reading'),
        ),
        migrations.AddField(
            model_name='japaneselocalgovernment',
            name='reading',
            field=models.CharField(blank=True, help_text='In katakana. The request forms find the place by it too.', max_length=100, verbose_name='reading'),
        ),
        migrations.AddField(
            model_name='japaneselocalgovernment',
            name='search',
            field=models.TextField(default='', editable=False),
        ),
        migrations.AlterField(
            model_name='chineselocalgovernment',
            name='kind',
            field=models.CharField(choices=[('province', 'province'), ('municipality', 'municipality directly under the central government'), ('autonomous_region', 'autonomous region'), ('sar', 'special administrative region'), ('city', 'city'), ('prefecture', 'prefecture'), ('autonomous_prefecture', 'autonomous prefecture'), ('league', 'league'), ('county_city', 'county-level city')], max_length=30, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicalchineselocalgovernment',
            name='kind',
            field=models.CharField(choices=[('province', 'province'), ('municipality', 'municipality directly under the central government'), ('autonomous_region', 'autonomous region'), ('sar', 'special administrative region'), ('city', 'city'), ('prefecture', 'prefecture'), ('autonomous_prefecture', 'autonomous prefecture'), ('league', 'league'), ('county_city', 'county-level city')], max_length=30, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='historicaljapaneselocalgovernment',
            name='kind',
            field=models.CharField(choices=[('prefecture', 'prefecture'), ('designated_city', 'designated city'), ('city', 'city'), ('town', 'town'), ('village', 'village'), ('special_ward', 'special ward')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='japaneselocalgovernment',
            name='kind',
            field=models.CharField(choices=[('prefecture', 'prefecture'), ('designated_city', 'designated city'), ('city', 'city'), ('town', 'town'), ('village', 'village'), ('special_ward', 'special ward')], max_length=20, verbose_name='kind'),
        ),
        migrations.AddIndex(
            model_name='chineselocalgovernment',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search'], name='chineselocalgovernment_search', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddIndex(
            model_name='japaneselocalgovernment',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search'], name='japaneselocalgovernment_search', opclasses=['gin_trgm_ops']),
        ),
        migrations.AddConstraint(
            model_name='chineselocalgovernment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind__in', ('province', 'municipality', 'autonomous_region', 'sar')), ('province__isnull', True)), models.Q(models.Q(('kind__in', ('province', 'municipality', 'autonomous_region', 'sar')), _negated=True), ('province__isnull', False)), _connector='OR'), name='clg_city_has_province', violation_error_message='A city belongs to a provincial-level division; a province to none.'),
        ),
        migrations.RunPython(fill_search, migrations.RunPython.noop),
    ]
