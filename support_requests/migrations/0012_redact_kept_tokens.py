"""What requesters sent before their words were cleaned on arrival: a
tracking link quoted in a message (an Outlook reply, a Safe Links address)
and a file name with a bidirectional override stay in the thread, the
desk's pages and the messages' history. Redacted and cleaned as new ones
are (support_requests/services.py); rows that need no change are left."""

from django.db import migrations

from clair_portal.foundation.logging import redact
from clair_portal.foundation.plain_text import clean_file_name


def redact_kept(apps, schema_editor):
    for model_name in ("RequestMessage", "HistoricalRequestMessage"):
        model = apps.get_model("support_requests", model_name)
        messages = model.objects.filter(from_requester=True).values_list(
            "pk", "body", "request__token"
        )
        for pk, body, token in messages.iterator():
            kept = redact(body).replace(token, "…") if token else redact(body)
            if kept != body:
                model.objects.filter(pk=pk).update(body=kept)
    attachments = apps.get_model("support_requests", "RequestAttachment")
    for pk, name in attachments.objects.values_list("pk", "original_name").iterator():
        cleaned = clean_file_name(name, default="attachment")
        if cleaned != name:
            attachments.objects.filter(pk=pk).update(original_name=cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("support_requests", "0011_counted_taken_up"),
    ]

    operations = [
        migrations.RunPython(redact_kept, migrations.RunPython.noop, elidable=True),
    ]
