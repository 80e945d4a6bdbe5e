from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.typography import fiscal_year

OUTPUTS = ["zip", "html", "pdf"]


class BrochureExportForm(forms.Form):
    """Which brochure to export: a fiscal year with data, and a language."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    output = forms.ChoiceField(
        choices=[(output, output) for output in OUTPUTS],
        required=False,
        widget=forms.HiddenInput,  # set by the submit buttons
    )

    def __init__(self, *args, fiscal_years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [
            (year, fiscal_year(year)) for year in fiscal_years
        ]
