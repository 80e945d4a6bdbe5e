"""Writes on support requests: submission, status changes, messages, files.

Every service validates, writes inside one transaction, and queues its mail
with clair_portal.foundation.mail.mail_queue, so mail leaves only after the commit and a
failing mail server loses nothing.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from clair_portal.foundation.fiscal import fiscal_year_of
from clair_portal.foundation.logging import redact
from clair_portal.foundation.mail import mail_queue
from clair_portal.foundation.plain_text import clean_file_name

from .models import (
    ReferenceCounter,
    RequestAttachment,
    RequestCorrection,
    RequestMessage,
    StatusChange,
    SupportRequest,
    SupportService,
    WaitingFor,
)
from .reply_address import reply_address
from .selectors import reminders_due
from .working_days import add_working_days, is_office_day

REFERENCE_PREFIX = "BJ"


def reference_next(*, fiscal_year: int) -> str:
    """The next reference of a fiscal year (BJ-2026-0007).

    One upsert: concurrent transactions queue on the counter's row, so every
    reference is distinct, and a rolled-back submission gives its number back."""
    table = connection.ops.quote_name(ReferenceCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (fiscal_year, last_number) VALUES (%s, 1) "
            f"ON CONFLICT (fiscal_year) DO UPDATE "
            f"SET last_number = {table}.last_number + 1 RETURNING last_number",
            [fiscal_year],
        )
        (number,) = cursor.fetchone()
    return f"{REFERENCE_PREFIX}-{fiscal_year}-{number:04d}"


def due_date(*, request: SupportRequest, since: datetime.date) -> datetime.date:
    """When the desk is to have answered a request that waits for it since
    `since` (a date): SUPPORT_DUE_WORKING_DAYS working days of both countries
    later, or SUPPORT_LEAD_WORKING_DAYS before the stay (or the date wished or
    needed) when that comes first, but never before `since`."""
    due = add_working_days(since, settings.SUPPORT_DUE_WORKING_DAYS)
    # The first of the dates the request asks for (a fresh request built from
    # a form may still hold them as text).
    starts = next(
        (
            SupportRequest._meta.get_field(name).to_python(value)
            for name in ("stay_start", "wished_start", "needed_by")
            if (value := getattr(request, name))
        ),
        None,
    )
    if starts:
        due = min(due, add_working_days(starts, -settings.SUPPORT_LEAD_WORKING_DAYS))
    return max(due, since)


def _mail_requester(request: SupportRequest, template: str, *, to=None, **context):
    """Queue `template` for the requester (or for `to`), in their language,
    answerable by mail into the request's thread (its signed reply address)."""
    mail_queue(
        to=[to or request.email],
        template=template,
        context={"request": request, "site_url": settings.SITE_URL, **context},
        language=request.language,
        reply_to=reply_address(request),
    )


def _record_activity(request: SupportRequest, *, user, waiting_for=None) -> list:
    """Note on `request` who acted last and when (and whom it now waits for);
    returns the fields to save. The history names `user` too, also where no
    web request does (a reply mailed to the desk, a command)."""
    request.last_activity_at = timezone.now()
    request.last_activity_by = user
    if user is not None:
        request._history_user = user  # simple-history's own attribute
    fields = ["last_activity_at", "last_activity_by", "updated_at"]
    if waiting_for is not None:
        request.waiting_for = waiting_for
        fields.append("waiting_for")
        if waiting_for == WaitingFor.DESK:
            request.due_on = due_date(request=request, since=timezone.localdate())
            fields.append("due_on")
    return fields


def _without_token(text: str, request: SupportRequest) -> str:
    """A requester's words without their key: each link to a tracking page
    redacted, and the request's own token wherever it stands (a mail system
    may rewrite the link around it)."""
    return redact(text).replace(request.token, "…")


def support_desk_addresses() -> list[str]:
    return list(settings.SUPPORT_DESK_EMAILS)


# The files written by _attach inside _files_kept_only_on_success.
_written_files: ContextVar[list | None] = ContextVar("written_files", default=None)


@contextmanager
def _files_kept_only_on_success():
    """Delete again the files written inside the block if it fails: a rolled
    back transaction leaves no row, but the files would stay on disk."""
    written = []
    token = _written_files.set(written)
    try:
        yield
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written_files.reset(token)


def _attach(
    *,
    request: SupportRequest,
    upload: UploadedFile,
    from_requester: bool,
    message: RequestMessage | None = None,
) -> RequestAttachment:
    name = clean_file_name(upload.name, default=gettext("attachment"))
    attachment = RequestAttachment(
        request=request,
        message=message,
        original_name=name,
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        size=upload.size,
        from_requester=from_requester,
    )
    attachment.file.save(name, upload, save=False)
    written = _written_files.get()
    if written is not None:
        written.append((attachment.file.storage, attachment.file.name))
    attachment.save()
    return attachment


@_files_kept_only_on_success()
@transaction.atomic
def support_request_submit(
    *,
    services: Iterable[SupportService] = (),
    attachments: Iterable[UploadedFile] = (),
    **fields,
) -> SupportRequest:
    """Save a new request with its reference, services and files.

    `fields` are SupportRequest fields (kind, language, government or
    chinese_government, contact, the kind's own fields...); the fiscal year and
    the reference are given here. Side effects: files in private storage; a
    confirmation mail to the requester in their language and a notice to the
    support desk, both sent after commit."""
    today = timezone.localdate()
    request = SupportRequest(fiscal_year=fiscal_year_of(today), **fields)
    request.consented_at = request.consented_at or timezone.now()
    request.reference = reference_next(fiscal_year=request.fiscal_year)
    request.full_clean()
    # The desk may add a request already closed (one settled by phone).
    waiting_for = WaitingFor.DESK if request.is_open else WaitingFor.NOBODY
    _record_activity(request, user=None, waiting_for=waiting_for)
    request.save()
    request.services.set(services)
    StatusChange.objects.create(request=request, to_status=request.status)
    for upload in attachments:
        _attach(request=request, upload=upload, from_requester=True)
    context = {"request": request, "site_url": settings.SITE_URL}
    _mail_requester(request, "support_requests/email/received")
    mail_queue(
        to=support_desk_addresses(),
        template="support_requests/email/desk_new_request",
        context=context,
        language=settings.LANGUAGE_CODE,
    )
    return request


@transaction.atomic
def support_request_change_status(
    *, request: SupportRequest, status: str, user
) -> StatusChange | None:
    """Move a request to `status`, recorded with who and when.

    Side effects: a StatusChange row; a mail to the requester in their
    language. Nothing happens when the status does not change."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == status:
        return None
    change = StatusChange.objects.create(
        request=request, from_status=request.status, to_status=status, changed_by=user
    )
    was_open = request.is_open
    request.status = status
    request.full_clean()
    # A closed request waits for nobody; opened again, it waits for the desk.
    waiting_for = None
    if not request.is_open:
        waiting_for = WaitingFor.NOBODY
    elif not was_open:
        waiting_for = WaitingFor.DESK
    request.save(
        update_fields=[
            "status",
            *_record_activity(request, user=user, waiting_for=waiting_for),
        ]
    )
    _mail_requester(request, "support_requests/email/status_changed", change=change)
    return change


@transaction.atomic
def support_request_send_tracking_link(*, request: SupportRequest) -> None:
    """Mail the requester their tracking page's link again, to the address
    they gave (staff never see the link itself: it is the requester's key).

    Side effects: a mail to the requester in their language, after commit."""
    _mail_requester(request, "support_requests/email/tracking_link")


@_files_kept_only_on_success()
@transaction.atomic
def support_request_post_message(
    *,
    request: SupportRequest,
    body: str,
    user=None,
    internal: bool = False,
    attachments: Iterable[UploadedFile] = (),
) -> RequestMessage:
    """Add a message: from staff (`user` given) or from the requester (no user).

    Side effects: the message and its files; a staff message that is not
    internal is mailed to the requester in their language; a requester's
    message is mailed to the support desk. Internal notes are mailed to nobody."""
    from_requester = user is None
    message = RequestMessage(
        request=request,
        author=user,
        from_requester=from_requester,
        internal=internal and not from_requester,
        # A reply by mail may quote the office's mail, tracking link and all:
        # the link is the requester's alone, never kept in the thread.
        body=_without_token(body, request) if from_requester else body,
    )
    message.full_clean()
    message.save()
    # The status as it stands, not as the caller read it: a colleague may
    # have opened the request again meanwhile (support_request_change_status
    # locks the row too).
    request.status = (
        SupportRequest.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=request.pk)
    )
    waiting_for = None
    if from_requester:
        waiting_for = WaitingFor.DESK
    elif not request.is_open:
        waiting_for = WaitingFor.NOBODY  # answered or noted: done again
    elif not message.internal:
        waiting_for = WaitingFor.REQUESTER
    request.save(
        update_fields=_record_activity(request, user=user, waiting_for=waiting_for)
    )
    for upload in attachments:
        _attach(
            request=request,
            upload=upload,
            from_requester=from_requester,
            message=message,
        )
    context = {"request": request, "message": message, "site_url": settings.SITE_URL}
    if from_requester:
        mail_queue(
            to=support_desk_addresses(),
            template="support_requests/email/desk_new_message",
            context=context,
            language=settings.LANGUAGE_CODE,
        )
    elif not message.internal:
        _mail_requester(request, "support_requests/email/new_message", message=message)
    return message


@transaction.atomic
def support_request_assign(*, requests: Iterable[SupportRequest], assignee, user):
    """Give `requests` to `assignee` (None: to nobody); returns those that
    changed hands. Side effects: each saved one by one, so that each change
    is in the request's history."""
    changed = []
    for request in requests:
        if request.assignee_id == (assignee.pk if assignee else None):
            continue
        request.assignee = assignee
        request.save(update_fields=["assignee", *_record_activity(request, user=user)])
        changed.append(request)
    return changed


CORRECTABLE_FIELDS = [
    "department",
    "contact_name",
    "email",
    "phone",
    "purpose",
    "stay_start",
    "stay_end",
    "destinations",
    "delegation_leader",
    "delegation_size",
    "research_subject",
    "research_questions",
    "needed_by",
    "expert_subject",
    "wished_start",
    "wished_end",
]


@transaction.atomic
def support_request_correct(
    *, request: SupportRequest, changes: dict, user
) -> list[RequestCorrection]:
    """Correct what the requester sent (`changes`: field name to new value,
    of CORRECTABLE_FIELDS): each change is kept, with the value before, in the
    request's thread and in its history.

    Side effects: a new email address is told to the old one, in the
    requester's language. The tracking link goes to the address on file: a
    desk member who put their own there and had the link sent again would
    otherwise hold the requester's key unseen."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    corrections = []
    for name, value in changes.items():
        if name not in CORRECTABLE_FIELDS:
            raise ValueError(name)
        old = getattr(request, name)
        if old == value:
            continue
        setattr(request, name, value)
        corrections.append(
            RequestCorrection(
                request=request,
                field=name,
                old_value="" if old is None else str(old),
                new_value="" if value is None else str(value),
                corrected_by=user,
            )
        )
    if not corrections:
        return []
    request.full_clean()
    request._change_reason = "correction"
    request.save(
        update_fields=[
            *(c.field for c in corrections),
            *_record_activity(request, user=user),
        ]
    )
    for correction in corrections:
        if correction.field == "email" and correction.old_value:
            _mail_requester(
                request,
                "support_requests/email/address_changed",
                to=correction.old_value,
            )
    return RequestCorrection.objects.bulk_create(corrections)


def desk_reminders_send(*, today: datetime.date) -> int:
    """The desk's morning reminder: each assignee is mailed their requests that
    are late or due by the next working day. Returns how many mails. Nothing
    on a day the office is closed.

    Side effects: one mail per assignee, in both languages (no staff member
    has a language setting), sent by the worker after the commit."""
    if not is_office_day(today):
        return 0
    sent = 0
    with transaction.atomic():
        for assignee, requests in reminders_due(today=today).items():
            mail_queue(
                to=[assignee.email],
                template="support_requests/email/desk_reminder",
                context={
                    "assignee": assignee,
                    "late": [r for r in requests if r.due_on < today],
                    "due": [r for r in requests if r.due_on >= today],
                    "today": today,
                    "site_url": settings.SITE_URL,
                    "languages": [code for code, _name in settings.LANGUAGES],
                },
                language=settings.LANGUAGE_CODE,
            )
            sent += 1
    return sent
