from django.views.generic import TemplateView

from clair_portal.models import Program
from clair_portal.views import ProgramPageMixin


class IndexView(ProgramPageMixin, TemplateView):
    program = Program.LGOTP
    template_name = "exchange/index.html"
