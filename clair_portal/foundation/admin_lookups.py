"""What a list's URL may ask of the database."""

from django.db.models.constants import LOOKUP_SEP

# Lookups the admin would take from a list's URL on any field of the model
# (?email__regex=...): a pattern that does not compile is a database error,
# and one that backtracks took the database 13 s at scale 100.
REFUSED_URL_LOOKUPS = {"regex", "iregex"}


def refused_url_lookup(lookup: str) -> bool:
    return not REFUSED_URL_LOOKUPS.isdisjoint(lookup.split(LOOKUP_SEP))


class NoRegexLookupsMixin:
    """No regular expression in a list's URL lookups, and no lookup at all on
    the fields in `secret_fields`: refused with a 400, as Django refuses a
    lookup it does not allow.

    The admin takes any lookup on a model's own fields from the URL, and the
    number of rows answers it: ?token__startswith=a, or ?body__contains= on a
    mail that carries a tracking link, gives a requester's key away one
    letter at a time."""

    secret_fields: tuple[str, ...] = ()

    def lookup_allowed(self, lookup, value, request=None):
        if refused_url_lookup(lookup):
            return False
        if lookup.split(LOOKUP_SEP)[0] in self.secret_fields:
            return False
        return super().lookup_allowed(lookup, value, request)
