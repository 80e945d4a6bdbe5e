"""The office's news (お知らせ / 新闻) and publications."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clair_portal.foundation.fiscal import (
    FiscalYear,
    fiscal_year_bounds,
    fiscal_year_of,
    validate_date_in_span,
)
from clair_portal.foundation.models import Photo
from clair_portal.foundation.searchable import search_sources
from clair_portal.foundation.storage import private_storage

from .markup import MAX_TEXT_LENGTH


def fiscal_year_span(fiscal_year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a fiscal year and of the next, in the portal's time zone."""
    first, _last = fiscal_year_bounds(fiscal_year)
    following, _ = fiscal_year_bounds(fiscal_year + 1)
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime.combine(first, datetime.time(), zone),
        datetime.datetime.combine(following, datetime.time(), zone),
    )


class NewsItemQuerySet(models.QuerySet):
    def visible(self, *, now=None):
        """What the public sees: published, and its time come."""
        return self.filter(
            status=NewsItem.Status.PUBLISHED,
            published_at__lte=now or timezone.now(),
        )

    def of_fiscal_year(self, fiscal_year: int):
        start, end = fiscal_year_span(fiscal_year)
        return self.filter(published_at__gte=start, published_at__lt=end)


class NewsItem(models.Model):
    """A news item in both languages. Seen by the public once it is published
    and its time (`published_at`) has come; a draft is seen by staff only,
    in the admin's preview."""

    class Category(models.TextChoices):
        OFFICE = "office", _("Office news")
        LOCAL_GOVERNMENT_EVENTS = (
            "local_government_events",
            _("Events of Japanese local governments in China"),
        )
        CALLS = "calls", _("Calls for entries")
        SEMINARS = "seminars", _("Seminar announcements")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences for lists, feeds and search results."),
    )
    body = models.TextField(
        _("text"),
        max_length=MAX_TEXT_LENGTH,
        validators=[MaxLengthValidator(MAX_TEXT_LENGTH)],
        help_text=_(
            "Markdown: a blank line between paragraphs, **bold**, [link](https://...), "
            "lists with '- '. HTML is removed."
        ),
    )
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        validators=[validate_date_in_span],
        help_text=_(
            "The news is shown from this moment (Beijing time) once its status "
            "is published. Leave empty to publish now."
        ),
    )
    original_language = models.CharField(
        _("language of the original"),
        max_length=7,
        choices=settings.LANGUAGES,
        help_text=_("The other language is shown as its translation."),
    )
    photos = GenericRelation(Photo)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="newsitem_published_has_time",
                violation_error_message=_("A published news item needs its time."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def fiscal_year(self) -> int | None:
        if self.published_at is None:
            return None
        return fiscal_year_of(timezone.localdate(self.published_at))

    @property
    def is_visible(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def _linkable_content_types():
    """The records a news item may link to: those the search finds (each app
    declares them, with their public address)."""
    return Q(
        pk__in=[
            ContentType.objects.get_for_model(source.model).pk
            for source in search_sources().values()
            if source.model._meta.app_label != "news"
        ]
    )


class NewsLink(models.Model):
    """A program record (a seminar, an expert dispatch...) a news item concerns."""

    news_item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="links"
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        on_delete=models.CASCADE,
        limit_choices_to=_linkable_content_types,
    )
    object_id = models.PositiveBigIntegerField(_("record number"))
    record = GenericForeignKey("content_type", "object_id")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["news_item", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "content_type", "object_id"],
                name="newslink_once_per_record",
                violation_error_message=_("This record is already linked."),
            )
        ]

    def __str__(self):
        return (
            str(self.record) if self.record else f"{self.content_type} {self.object_id}"
        )

    def clean(self):
        super().clean()
        if self.content_type_id is None or self.object_id is None:
            return
        model = self.content_type.model_class()
        if (
            model is None
            or not model._default_manager.filter(pk=self.object_id).exists()
        ):
            raise ValidationError(
                {"object_id": _("There is no such record to link to.")}
            )


def _news_file_path(instance, filename):
    return f"news/{timezone.now():%Y}/{filename}"


class NewsAttachment(models.Model):
    """A file of a news item (a call's entry form, a flyer). Kept in private
    storage and served by a view that checks the item is visible."""

    news_item = models.ForeignKey(
        NewsItem, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_news_file_path
    )
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["news_item", "position", "id"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse(
            "news:attachment", kwargs={"pk": self.news_item_id, "file_id": self.pk}
        )


def _publication_path(instance, filename):
    return f"publications/{timezone.now():%Y}/{filename}"


class Publication(models.Model):
    """A report or handbook of the office (CLAIR Report, 中国地方行政・財政制度,
    a brochure edition's PDF). Its file is kept in private storage and
    served by a view: to everyone when the publication is public, to staff
    only otherwise."""

    class Kind(models.TextChoices):
        REPORT = "report", _("CLAIR Report")
        HANDBOOK = "handbook", _("Handbook")
        BROCHURE = "brochure", _("Brochure")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(
        _("date of publication"), validators=[validate_date_in_span]
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), db_index=True, editable=False
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_publication_path
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_("Untick to keep it for staff only: not listed, not downloadable."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fiscal_year=FiscalYear("date")),
                name="publication_fiscal_year_of_date",
                violation_error_message=_("The fiscal year does not match the date."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"pk": self.pk})

    def get_download_url(self):
        return reverse("publications:download", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.date:
            self.fiscal_year = fiscal_year_of(self.date)
