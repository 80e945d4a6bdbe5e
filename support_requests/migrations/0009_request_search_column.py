"""The queue's search reads one folded column, CJK cut into pairs, under one
trigram index (models.SupportRequest.search): a word of one or two CJK
characters (北京, 王) is found from the index, where the four trigram indexes
of migration 0004 served only words of three characters or more, and the
queue read every request twice (9 ms each at scale 100). Those four are
dropped: one index to keep up on each save rather than four."""

import unicodedata

import django.contrib.postgres.indexes
from django.db import migrations, models

from clair_portal.foundation.text_index import index_form

TABLE = "support_requests_supportrequest"
SEARCHED = ["reference", "contact_name", "email", "department"]


def fill_search(apps, schema_editor):
    SupportRequest = apps.get_model("support_requests", "SupportRequest")
    batch = []
    for request in SupportRequest.objects.only(*SEARCHED).iterator(chunk_size=1000):
        text = "\n".join(getattr(request, name) or "" for name in SEARCHED)
        request.search = index_form(unicodedata.normalize("NFKC", text).casefold())
        batch.append(request)
        if len(batch) == 1000:
            SupportRequest.objects.bulk_update(batch, ["search"])
            batch = []
    SupportRequest.objects.bulk_update(batch, ["search"])


def trigram_index(column):
    # Migration 0004's, dropped forwards and made again backwards.
    name = f"supportrequest_{column}_trgm"
    return migrations.RunSQL(
        f"DROP INDEX {name}",
        f"CREATE INDEX {name} ON {TABLE} USING gin ((UPPER({column}::text)) gin_trgm_ops)",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("support_requests", "0008_counted_years_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="supportrequest",
            name="search",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill_search, migrations.RunPython.noop, elidable=True),
        # The updates leave deferred trigger events (the page cache's content
        # token), and PostgreSQL creates no index on a table with some pending.
        migrations.RunSQL("SET CONSTRAINTS ALL IMMEDIATE", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="supportrequest",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search"],
                name="supportrequest_search",
                opclasses=["gin_trgm_ops"],
            ),
        ),
        *(trigram_index(column) for column in SEARCHED),
    ]
