import ipaddress
import logging

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView
from django_ratelimit.decorators import ratelimit

from clair_portal.foundation.models import OfficeContact, Program
from clair_portal.foundation.opendata import csv_response
from clair_portal.foundation.views import ProgramPageMixin

from .forms import HONEYPOT, MessageForm, SupportRequestForm
from .models import (
    JAPANESE_KINDS,
    RequestAttachment,
    RequestKind,
    RequestMessage,
    SupportRequest,
    SupportService,
    status_label,
)
from .selectors import (
    recent_examples,
    support_counts_by_year,
    support_examples_by_year,
    support_years,
)
from .services import support_request_post_message, support_request_submit

logger = logging.getLogger(__name__)

# The office's steps, in order; declined and withdrawn end a request anywhere.
STEPS = [
    SupportRequest.Status.CONSULTATION,
    SupportRequest.Status.RECEIVED,
    SupportRequest.Status.ARRANGING,
    SupportRequest.Status.IN_PROGRESS,
    SupportRequest.Status.COMPLETED,
]
END_STATES = [SupportRequest.Status.DECLINED, SupportRequest.Status.WITHDRAWN]


class IndexView(ProgramPageMixin, TemplateView):
    program = Program.SUPPORT
    template_name = "support_requests/index.html"

    def get_context_data(self, **kwargs):
        years = support_years()
        examples = recent_examples(years.recent)
        return super().get_context_data(
            services=SupportService.objects.all(),
            counts=support_counts_by_year(years.recent),
            example_years=support_examples_by_year(examples, years.recent),
            examples_listed=examples,
            recent_years=years.recent,
            earlier_years=years.earlier,
            **kwargs,
        )


def figures_csv(request):
    header = [
        _("Fiscal year"),
        _("Activity support"),
        _("Overseas research"),
        _("Source"),
    ]
    rows = (
        [
            row.fiscal_year,
            row.activity_support,
            row.overseas_research,
            row.source_label,
        ]
        for row in support_counts_by_year()
    )
    return csv_response("figures.csv", header, rows)


# The request forms -------------------------------------------------------------------


def client_address(request) -> str:
    """The visitor's address, by which POSTs are counted (RATELIMIT_IP_META_KEY
    names this function). Behind PROXY_COUNT reverse proxies, each appending
    the address it saw to X-Forwarded-For, it is the PROXY_COUNT-th entry from
    the right, as for django-axes (entries further left may be forged); without
    a proxy, the connection's address."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # Not an address: count it with the connection's, never fail the form.
        return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def form_rate(group, request):
    """POSTs allowed per address (SUPPORT_FORM_RATELIMIT, e.g. "10/m"), read
    per request so that tests and deployments can change it."""
    return settings.SUPPORT_FORM_RATELIMIT


def limit_posts(group):
    """Count the POSTs of one address to a group of forms; past the rate the
    view answers 429 (request.limited), it does not raise."""
    return method_decorator(
        ratelimit(group=group, key="ip", rate=form_rate, method="POST", block=False),
        name="dispatch",
    )


def too_many_requests(request):
    response = TemplateResponse(request, "support_requests/429.html", status=429)
    response["Retry-After"] = "60"
    return response


def rejected(request):
    """The answer to a filled honeypot: 400 and a neutral page, nothing saved.
    Neutral, so a bot learns nothing; the page tells a person who filled the
    hidden field (an autofill) how to reach the office instead."""
    return TemplateResponse(
        request,
        "support_requests/rejected.html",
        {"office": beijing_office()},
        status=400,
    )


def beijing_office():
    return (
        OfficeContact.objects.current().filter(site=OfficeContact.Site.BEIJING).first()
    )


@limit_posts("support_requests.request_forms")
class RequestFormView(FormView):
    """A public request form: honeypot, rate limit, then the form and the
    submit service; success redirects (POST/redirect/GET) to the private
    tracking page, which then shows the confirmation."""

    def post(self, request, *args, **kwargs):
        if request.limited:
            return too_many_requests(request)
        if request.POST.get(HONEYPOT):
            logger.info("Request form honeypot filled; nothing saved.")
            return rejected(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        support_request = support_request_submit(
            language=get_language(), **form.submission()
        )
        return redirect(
            reverse("support_requests:track", kwargs={"token": support_request.token})
            + "?submitted=1"
        )


class SupportRequestView(RequestFormView):
    """A Japanese local government asks for activity support or an overseas
    research; the guidance of the former "how to apply" page comes first."""

    template_name = "support_requests/request.html"
    form_class = SupportRequestForm

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in JAPANESE_KINDS else {}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if request.GET.get("kind", JAPANESE_KINDS[0]) not in JAPANESE_KINDS:
            # A kind no link offers shows the plain form, and is not kept in
            # the page cache (one copy per made-up value otherwise).
            patch_cache_control(response, private=True)
        return response

    def get_context_data(self, **kwargs):
        contacts = {
            contact.site: contact for contact in OfficeContact.objects.current()
        }
        return super().get_context_data(
            tokyo=contacts.get(OfficeContact.Site.TOKYO),
            beijing=contacts.get(OfficeContact.Site.BEIJING),
            **kwargs,
        )


# The private tracking page -----------------------------------------------------------


def private_page(response):
    """Headers of every page reached by a token: neither cached nor indexed,
    and the token never leaks in a Referer to another site. Not no-referrer:
    with it, Chromium posts the reply form with "Origin: null", which the CSRF
    check refuses."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def visible_to_requester(prefix=""):
    """Files the requester may see: theirs, and those of staff messages that
    are not internal notes (a staff file without a message stays internal)."""
    return Q(**{f"{prefix}from_requester": True}) | Q(
        **{f"{prefix}message__isnull": False, f"{prefix}message__internal": False}
    )


def tracked_request(token):
    """The request of a token with all its tracking page shows, in a constant
    number of queries; internal notes are never loaded."""
    messages = RequestMessage.objects.filter(internal=False).prefetch_related(
        Prefetch(
            "attachments",
            queryset=RequestAttachment.objects.filter(visible_to_requester()),
        )
    )
    queryset = SupportRequest.objects.select_related(
        "government__prefecture", "chinese_government__province", "expert_field"
    ).prefetch_related(
        "services",
        "status_changes",
        Prefetch("messages", queryset=messages),
        Prefetch(
            "attachments",
            queryset=RequestAttachment.objects.filter(message__isnull=True).filter(
                visible_to_requester()
            ),
            to_attr="request_files",
        ),
    )
    return get_object_or_404(queryset, token=token)


def timeline(support_request, changes):
    """The office's steps with each one's state (done, current, to come); a
    declined or withdrawn request shows the steps it reached, then its end."""
    status = support_request.status
    reached = status
    if status in END_STATES:
        progress = [c.to_status for c in changes if c.to_status in STEPS]
        reached = progress[-1] if progress else None
    position = STEPS.index(reached) if reached in STEPS else -1
    steps = []
    for index, step in enumerate(STEPS):
        if index < position or (index == position and status in END_STATES):
            state = "done"
        elif index == position:
            state = "current"
        else:
            state = "ended" if status in END_STATES else "to_come"
        label = status_label(support_request.kind, step)
        steps.append({"status": step, "label": label, "state": state})
    end = None
    if status in END_STATES:
        end = {"status": status, "label": support_request.get_status_display()}
    return steps, end


CLOSED_REQUEST_MESSAGE = gettext_lazy(
    "This request is closed, so messages are no longer sent from this page. "
    "For anything more about it, write to the office at the address at the "
    "foot of this page, or send a new request."
)


@limit_posts("support_requests.replies")
class TrackView(FormView):
    """The requester's private page: status, history, messages, files, reply."""

    template_name = "support_requests/track.html"
    form_class = MessageForm

    def dispatch(self, request, *args, **kwargs):
        self.support_request = tracked_request(kwargs["token"])
        return private_page(super().dispatch(request, *args, **kwargs))

    def post(self, request, *args, **kwargs):
        if request.limited:
            return too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not self.support_request.is_open:
            # Sent from a page opened before the office closed the request:
            # kept on the page for the requester to copy, never filed where
            # no queue of the desk would show it.
            form.add_error(None, CLOSED_REQUEST_MESSAGE)
            return self.form_invalid(form)
        support_request_post_message(
            request=self.support_request,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
        return redirect(self.support_request.tracking_path() + "?replied=1#messages")

    def get_context_data(self, **kwargs):
        support_request = self.support_request
        changes = list(support_request.status_changes.all())
        steps, end = timeline(support_request, changes)
        return super().get_context_data(
            support_request=support_request,
            # The public address, not the Host this request carried.
            tracking_url=f"{settings.SITE_URL}{support_request.tracking_path()}",
            submitted="submitted" in self.request.GET,
            replied="replied" in self.request.GET,
            steps=steps,
            end_state=end,
            changes=changes,
            request_messages=support_request.messages.all(),
            new_request_url=reverse(
                "experts:request"
                if support_request.kind == RequestKind.EXPERT_DISPATCH
                else "support_requests:request"
            ),
            closed_request_message=CLOSED_REQUEST_MESSAGE,
            **kwargs,
        )


def attachment_download(request, token, pk):
    """A file of a request, for whoever holds its token: always a download
    (never rendered by the browser), with its original name."""
    attachment = get_object_or_404(
        RequestAttachment.objects.filter(visible_to_requester()),
        pk=pk,
        request__token=token,
    )
    try:
        file = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("This file is no longer available.")) from error
    response = FileResponse(
        file,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_page(response)
