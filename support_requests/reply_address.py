"""Signed reply addresses: clairbj-jp+BJ-2026-0001.<signature>@clair.org.cn.

The part after "+" names the request and signs its reference with
SECRET_KEY, so that a mail to a made-up address never enters a request.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import SupportRequest, UnsortedMail

SIGNATURE_SALT = "support_requests.reply_address"
SIGNATURE_LENGTH = 20
# Any reference the model holds (max. 20 characters; "BJ-2026-0001").
REFERENCE = r"[A-Za-z0-9-]{1,20}"


def _signature(reference: str) -> str:
    return salted_hmac(SIGNATURE_SALT, reference).hexdigest()[:SIGNATURE_LENGTH]


def _mailbox() -> tuple[str, str]:
    local, _, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")
    return local, domain


def reply_address(request: SupportRequest) -> str:
    """The address a requester's answer to the desk's mail goes to."""
    local, domain = _mailbox()
    return f"{local}+{request.reference}.{_signature(request.reference)}@{domain}"


def reference_of(addresses: list[str]) -> tuple[str | None, str]:
    """The reference that one of `addresses` carries and whether its
    signature holds: (reference, "") or (None or reference, the reason)."""
    local, domain = _mailbox()
    pattern = re.compile(
        rf"^{re.escape(local)}\+({REFERENCE})\.([0-9a-f]+)@{re.escape(domain)}$",
        re.IGNORECASE,
    )
    found = None
    for address in addresses:
        match = pattern.match(address.strip())
        if not match:
            continue
        reference, signature = match.group(1).upper(), match.group(2).lower()
        if constant_time_compare(signature, _signature(reference)):
            return reference, ""
        found = reference
    if found:
        return found, UnsortedMail.Reason.FORGED
    return None, UnsortedMail.Reason.NO_REFERENCE


def without_signature(text: str) -> str:
    """`text` with each reply address's signature left out
    (clairbj-jp+BJ-2026-0001.…@clair.org.cn): the signature lets whoever
    holds it write as the requester, so staff are not shown it."""
    return re.sub(rf"(\+{REFERENCE}\.)[0-9a-f]+@", r"\1…@", text, flags=re.I)
