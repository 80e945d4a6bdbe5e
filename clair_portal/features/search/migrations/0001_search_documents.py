"""The search's documents, with a trigram index (pg_trgm, GIN) on their
index form. PostgreSQL's pg_trgm extension is created by
support_requests.0004 (the support queue's search): this migration runs
after it and reuses it rather than creating (and, reversed, dropping) it
again."""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("support_requests", "0004_queue_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(max_length=100, verbose_name='source')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='record')),
                ('language', models.CharField(choices=[('ja', 'Japanese'), ('zh-hans', 'Simplified Chinese')], max_length=7, verbose_name='language')),
                ('title', models.TextField(verbose_name='title')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('url', models.CharField(blank=True, max_length=500, verbose_name='address')),
                ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                ('visible_from', models.DateTimeField(blank=True, null=True, verbose_name='found from')),
                ('folded', models.TextField(verbose_name='index form')),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
                'ordering': ['source', 'object_id', 'language'],
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['folded'], name='searchdocument_folded_trgm', opclasses=['gin_trgm_ops'])],
                'constraints': [models.UniqueConstraint(fields=('source', 'object_id', 'language'), name='searchdocument_one_per_record_and_language')],
            },
        ),
    ]
