"""What every program shares: places, photos, fiscal-year records, the office."""

import datetime
import functools
import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from imagekit.models import ImageSpecField
from modeltranslation.utils import get_translation_fields

from .fiscal import (
    FiscalYear,
    fiscal_year_of,
    validate_date_in_span,
    validate_year_in_span,
)
from .images import THUMBNAIL_PROCESSORS
from .place_search import search_text
from .staff_notes import StaffNoteField


class Program(models.TextChoices):
    SISTER_CITIES = "sister_cities", _("Sister cities and offices in China")
    SEMINARS = "seminars", _("Japan-China Regional Exchange Seminar")
    SUPPORT = "support", _("Activity support and overseas research")
    TRAVEL_EXPO = "travel_expo", _("Travel expo exhibitions")
    COOKING = "cooking", _("Cooking experience events")
    LIVESTREAM = "livestream", _("Livestream promotion")
    JET = "jet", _("JET Programme")
    LGOTP = "lgotp", _("LGOTP")
    EXECUTIVE_SEMINAR = "executive_seminar", _("Executive exchange seminar")
    EXPERTS = "experts", _("Expert dispatch")
    MEDIA = "media", _("Media and university collaborations")
    RESEARCH = "research", _("Research on China")


# The longest text the brochure prints in one place (the office's overview, a
# greeting, a program's introduction or note, a staff member's message, a
# record's description): a year's PDF with every such text this long renders
# in 6-9 s (tests/brochure/test_pdf_time.py); the editions' longest has 459
# characters.
PRINTED_TEXT_MAX_LENGTH = 10_000


def printed_text(verbose_name, **options) -> models.TextField:
    """A text the brochure prints, of at most PRINTED_TEXT_MAX_LENGTH
    characters: the admin's text area stops there, and full_clean() (the
    admin's forms, imports) refuses more with Django's message."""
    return models.TextField(
        verbose_name,
        max_length=PRINTED_TEXT_MAX_LENGTH,
        validators=[MaxLengthValidator(PRINTED_TEXT_MAX_LENGTH)],
        **options,
    )


# Places ---------------------------------------------------------------------


def translated_values(instance, field: str) -> list[str]:
    """The values of a translated field in every language."""
    return [getattr(instance, name) or "" for name in get_translation_fields(field)]


class PlaceQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Place(models.Model):
    """A local government, named in both languages, keyed by its official code.

    The official lists are in fixtures/places/ (README, "Places")."""

    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[
            RegexValidator(r"^\d{2,6}$", _("Enter the official numeric code."))
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    reading = models.CharField(
        _("reading"),
        max_length=100,
        blank=True,
        help_text=_("In katakana. The request forms find the place by it too."),
    )
    # The folded names the request forms search (place_search.search_text).
    search = models.TextField(editable=False, default="")

    objects = PlaceQuerySet.as_manager()

    # Derived from the names: not part of the change history.
    untracked_fields = ("search",)
    # The foreign key to the region the place is in (set by each model).
    parent_field = ""

    class Meta:
        abstract = True
        ordering = ["code"]
        indexes = [
            GinIndex(
                fields=["search"],
                opclasses=["gin_trgm_ops"],
                name="%(class)s_search",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The search column follows the names on every save (admin, import,
        # factories); `places.places_load` fills it in bulk.
        parent = self.parent
        self.search = search_text(
            translated_values(self, "name"),
            translated_values(parent, "name") if parent else (),
            self.reading,
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search"}
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.code,)

    @property
    def parent(self):
        if getattr(self, f"{self.parent_field}_id") is None:
            return None
        return getattr(self, self.parent_field)


class JapaneseLocalGovernment(Place):
    """A prefecture (JIS X 0401 code) or a municipality (JIS X 0402 code)."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("prefecture")
        DESIGNATED_CITY = "designated_city", _("designated city")
        # Its own context: "city" as a column's name is 都市.
        CITY = "city", pgettext_lazy("Japan", "city")
        TOWN = "town", _("town")
        VILLAGE = "village", _("village")
        SPECIAL_WARD = "special_ward", _("special ward")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prefecture = models.ForeignKey(
        "self",
        verbose_name=_("prefecture"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"kind": Kind.PREFECTURE},
    )
    parent_field = "prefecture"

    class Meta(Place.Meta):
        verbose_name = _("Japanese local government")
        verbose_name_plural = _("Japanese local governments")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="prefecture", prefecture__isnull=True)
                | (~Q(kind="prefecture") & Q(prefecture__isnull=False)),
                name="jlg_municipality_has_prefecture",
                violation_error_message=_(
                    "A municipality belongs to a prefecture; a prefecture to none."
                ),
            ),
        ]

    def clean(self):
        if self.kind == self.Kind.PREFECTURE and self.prefecture_id:
            raise ValidationError(
                {"prefecture": _("A prefecture belongs to no prefecture.")}
            )
        if self.kind != self.Kind.PREFECTURE and not self.prefecture_id:
            raise ValidationError({"prefecture": _("Choose the prefecture.")})

    def full_name(self):
        """The name with its prefecture, as the brochures write it (岐阜県高山市)."""
        if self.prefecture_id and self.kind != self.Kind.DESIGNATED_CITY:
            return f"{self.prefecture.name}{self.name}"
        return self.name


# The provincial-level kinds of ChineseLocalGovernment: they belong to no province.
CHINESE_PROVINCIAL_KINDS = ("province", "municipality", "autonomous_region", "sar")


class ChineseLocalGovernment(Place):
    """A provincial-level or prefecture-level division (or a county-level one
    a record names), keyed by its GB/T 2260 code."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        MUNICIPALITY = (
            "municipality",
            _("municipality directly under the central government"),
        )
        AUTONOMOUS_REGION = "autonomous_region", _("autonomous region")
        SAR = "sar", _("special administrative region")
        CITY = "city", pgettext_lazy("China", "city")
        PREFECTURE = "prefecture", pgettext_lazy("China", "prefecture")
        AUTONOMOUS_PREFECTURE = "autonomous_prefecture", _("autonomous prefecture")
        LEAGUE = "league", _("league")
        COUNTY_CITY = "county_city", _("county-level city")

    PROVINCIAL_KINDS = tuple(map(Kind, CHINESE_PROVINCIAL_KINDS))

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("provincial-level division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
        limit_choices_to={"kind__in": PROVINCIAL_KINDS},
    )
    parent_field = "province"

    class Meta(Place.Meta):
        verbose_name = _("Chinese local government")
        verbose_name_plural = _("Chinese local governments")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CHINESE_PROVINCIAL_KINDS, province__isnull=True)
                | (~Q(kind__in=CHINESE_PROVINCIAL_KINDS) & Q(province__isnull=False)),
                name="clg_city_has_province",
                violation_error_message=_(
                    "A city belongs to a provincial-level division; a province to none."
                ),
            ),
        ]

    def clean(self):
        provincial = self.kind in self.PROVINCIAL_KINDS
        if not provincial and not self.province_id:
            raise ValidationError(
                {"province": _("Choose the provincial-level division.")}
            )
        if provincial and self.province_id:
            raise ValidationError(
                {"province": _("A provincial-level division belongs to no province.")}
            )

    def full_name(self):
        """The city with its province, as the brochures write it (四川省綿陽市)."""
        if self.province_id and self.province.kind == self.Kind.PROVINCE:
            return f"{self.province.name}{self.name}"
        return self.name


# Records of a fiscal year -------------------------------------------------------


class FiscalYearRecord(models.Model):
    """A record of one fiscal year; when it has a start date, the year follows it."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        db_index=True,
        validators=[validate_year_in_span],
        help_text=_("April to March. Derived from the start date when there is one."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_date_in_span]
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_date_in_span]
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_end_not_before_start",
                violation_error_message=_(
                    "The end date cannot be before the start date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="%(app_label)s_%(class)s_end_needs_start",
                violation_error_message=_("Enter the start date too."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(fiscal_year=FiscalYear("start_date")),
                name="%(app_label)s_%(class)s_fiscal_year_of_start",
                violation_error_message=_(
                    "The fiscal year does not match the start date."
                ),
            ),
        ]

    def clean(self):
        super().clean()
        if self.start_date:
            self.fiscal_year = fiscal_year_of(self.start_date)
        elif self.fiscal_year is None and self._meta.get_field("fiscal_year").editable:
            raise ValidationError(
                {"fiscal_year": _("Enter the fiscal year or a start date.")}
            )
        if self.end_date and not self.start_date:
            raise ValidationError({"start_date": _("Enter the start date too.")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date cannot be before the start date.")}
            )


class DatedRecord(FiscalYearRecord):
    """A record with a start date, from which its fiscal year always follows."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), db_index=True, editable=False
    )
    start_date = models.DateField(_("start date"), validators=[validate_date_in_span])

    class Meta(FiscalYearRecord.Meta):
        abstract = True


# Photos --------------------------------------------------------------------------


class PhotoQuerySet(models.QuerySet):
    def shown(self):
        """The photos public pages draw: those with an image. A photo whose
        image is not uploaded yet keeps its caption here, and admin lists it
        as an image to upload."""
        return self.exclude(image="")


class Photo(models.Model):
    """A photo with its caption, attached to a seminar, an event, a dispatch..."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(
        _("record number"),
        help_text=_(
            "The number of the record the photo belongs to: the number before "
            "/change/ in the address of the record's page in the admin."
        ),
    )
    subject = GenericForeignKey("content_type", "object_id")
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/",
        blank=True,
        help_text=_(
            "JPEG or PNG. Leave empty while the brochure's photo is not yet scanned."
        ),
    )
    # Made when the image is saved (in the admin's request, within the upload
    # limits), never when a page is drawn: a visitor cannot make the portal
    # decode an image, and a page asks no storage whether a thumbnail exists.
    # `manage.py generateimages` makes any that are missing.
    thumbnail = ImageSpecField(
        source="image",
        processors=THUMBNAIL_PROCESSORS,
        format="JPEG",
        options={"quality": 82},
        cachefile_strategy="imagekit.cachefiles.strategies.Optimistic",
    )
    caption = models.CharField(_("caption"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    staff_note = StaffNoteField()

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["content_type", "object_id", "position", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.caption

    def clean(self):
        """A photo belongs to a record that shows photos, and that exists: any
        other content type (a mail, a job, a user) would let whoever may add
        photos read that record's name in the photo list."""
        super().clean()
        if self.content_type_id is None:
            return
        model = self.content_type.model_class()
        if model not in photo_owners():
            raise ValidationError(
                {"content_type": _("Photos can only be attached to program records.")}
            )
        if (
            self.object_id is not None
            and not model._default_manager.filter(pk=self.object_id).exists()
        ):
            raise ValidationError(
                {"object_id": _("There is no such record to attach the photo to.")}
            )


@functools.cache
def photo_owners() -> list[type[models.Model]]:
    """Every model that has photos (a GenericRelation to Photo); the models do
    not change once the apps are loaded."""
    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(field, GenericRelation) and field.related_model is Photo
            for field in model._meta.private_fields
        )
    ]


# The office -----------------------------------------------------------------------


class BrochureEditionQuerySet(models.QuerySet):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class BrochureEdition(models.Model):
    """One edition of the office brochure: the source of its published figures
    and of its texts. An edition is printed in one language (its texts there
    are as printed); the portal keeps each text with its translation."""

    year = models.PositiveSmallIntegerField(
        _("edition year"), unique=True, validators=[validate_year_in_span]
    )
    title = models.CharField(_("title"), max_length=100)
    source_language = models.CharField(
        _("language of the original"),
        max_length=7,
        choices=[("ja", "日本語"), ("zh-hans", "中文")],
        help_text=_(
            "The language the edition was printed in: its texts in this language "
            "are as printed, those in the other language are translations."
        ),
    )
    overview = printed_text(_("office overview"), blank=True)
    staff_note = StaffNoteField()
    photos = GenericRelation(Photo)  # the cover photos

    objects = BrochureEditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("brochure edition")
        verbose_name_plural = _("brochure editions")
        ordering = ["-year"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)


class KeyFigure(models.Model):
    """A cumulative figure as an edition published it, with its as-of date."""

    class Metric(models.TextChoices):
        SISTER_CITIES = "sister_cities", _("sister-city affiliations")
        OFFICES_IN_CHINA = "offices_in_china", _("local-government offices in China")
        LGOTP_TRAINEES = "lgotp_trainees", _("LGOTP trainees")
        EXECUTIVE_SEMINAR_PARTICIPANTS = (
            "executive_seminar_participants",
            _("executive seminar participants"),
        )
        EXPERTS_DISPATCHED = "experts_dispatched", _("experts dispatched")

    metric = models.CharField(_("figure"), max_length=40, choices=Metric.choices)
    value = models.PositiveIntegerField(_("value"))
    as_of = models.DateField(_("as of"), validators=[validate_date_in_span])
    edition = models.ForeignKey(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    staff_note = StaffNoteField()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["metric", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "edition"],
                name="keyfigure_one_per_metric_and_edition",
                violation_error_message=_("This edition already has this figure."),
            ),
        ]

    def __str__(self):
        return f"{self.get_metric_display()} {self.value} ({self.as_of:%Y-%m})"


class StaffMember(models.Model):
    """A member of the office's staff as an edition introduced them."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("director")
        DEPUTY_DIRECTOR = "deputy_director", _("deputy director")
        ASSISTANT_DIRECTOR = "assistant_director", _("assistant director")
        CHIEF_RESEARCHER = "chief_researcher", _("chief researcher")
        RESEARCHER = "researcher", _("researcher")
        ASSISTANT_RESEARCHER = "assistant_researcher", _("assistant researcher")
        DRIVER = "driver", _("driver")

    edition = models.ForeignKey(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    name = models.CharField(_("name"), max_length=60)
    seconded_from = models.CharField(_("seconded from"), max_length=60, blank=True)
    message = printed_text(
        pgettext_lazy("words of a staff member", "message"), blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        ordering = ["-edition__year", "position"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class Greeting(models.Model):
    """The director's greeting of one edition."""

    edition = models.OneToOneField(
        BrochureEdition, verbose_name=_("edition"), on_delete=models.PROTECT
    )
    director = models.ForeignKey(
        StaffMember,
        verbose_name=_("director"),
        on_delete=models.PROTECT,
        limit_choices_to={"role": StaffMember.Role.DIRECTOR},
    )
    body = printed_text(_("greeting"))

    class Meta:
        verbose_name = _("director's greeting")
        verbose_name_plural = _("director's greetings")
        ordering = ["-edition__year"]

    def __str__(self):
        return f"{self.edition} {self.director.name}"


class OfficeContactQuerySet(models.QuerySet):
    def current(self):
        """Each site's contact as the newest edition printed it."""
        return self.order_by("site", "-edition__year").distinct("site")

    def printed_in(self, edition: "BrochureEdition | None"):
        """Each site's contact as `edition` printed it, else as the nearest
        edition before it did (after it, when none before did); the current
        ones without an edition."""
        if edition is None:
            return self.current()
        before = Q(edition__year__lte=edition.year)
        return self.order_by(
            "site",
            Case(When(before, then=Value(0)), default=Value(1)),
            Case(
                When(before, then=-F("edition__year")),
                default=F("edition__year"),
                output_field=models.IntegerField(),
            ),
        ).distinct("site")


class OfficeContact(models.Model):
    """Address and numbers of the Beijing office or of CLAIR's Tokyo head
    office, as one edition printed them (the newest is the current one)."""

    class Site(models.TextChoices):
        BEIJING = "beijing", _("Beijing office")
        TOKYO = "tokyo", _("Tokyo head office")

    edition = models.ForeignKey(
        BrochureEdition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    site = models.CharField(_("site"), max_length=10, choices=Site.choices)
    organisation = models.CharField(_("organisation"), max_length=100)
    postal_code = models.CharField(_("postal code"), max_length=10)
    address = models.CharField(_("address"), max_length=200)
    telephone = models.CharField(_("telephone"), max_length=30)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("website"))
    staff_note = StaffNoteField()
    photos = GenericRelation(Photo)  # e.g. the WeChat account's QR code

    objects = OfficeContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("office contact")
        verbose_name_plural = _("office contacts")
        ordering = ["site", "-edition__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "edition"],
                name="officecontact_one_per_site_and_edition",
                violation_error_message=_(
                    "This edition already has the contact of this site."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.edition})"


class ProgramIntroQuerySet(models.QuerySet):
    def get_by_natural_key(self, program, edition_year):
        return self.get(program=program, edition__year=edition_year)


class ProgramIntro(models.Model):
    """What a program is, as one edition of the brochure introduced it: its
    title, its introduction and the notes printed with its tables, in the
    edition's language as printed and translated into the other. An edition
    that printed nothing on a program has no introduction of it: pages say
    so, and never show another edition's text in its place."""

    edition = models.ForeignKey(
        BrochureEdition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="intros",
    )
    program = models.CharField(_("program"), max_length=30, choices=Program.choices)
    title = models.CharField(_("title"), max_length=100)
    body = printed_text(_("introduction"))
    public_note = printed_text(
        _("note for the public"),
        blank=True,
        help_text=_(
            "Printed with the program's tables (a closing sentence, a box): "
            "shown on the public pages and in the printed brochure."
        ),
    )
    started_year = models.PositiveSmallIntegerField(
        _("running since"), null=True, blank=True, validators=[validate_year_in_span]
    )
    staff_note = StaffNoteField()
    photos = GenericRelation(Photo)  # photos the edition printed with the text

    objects = ProgramIntroQuerySet.as_manager()

    class Meta:
        verbose_name = _("program introduction")
        verbose_name_plural = _("program introductions")
        ordering = ["program", "-edition__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "edition"],
                name="programintro_one_per_program_and_edition",
                violation_error_message=_(
                    "This edition already has an introduction of this program."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.edition})"

    def natural_key(self):
        return (self.program, *self.edition.natural_key())

    natural_key.dependencies = ["clair_portal.brochureedition"]


# Mail ------------------------------------------------------------------------------


class OutgoingMailQuerySet(models.QuerySet):
    def pending(self):
        """Not sent, and no send under way or interrupted: free to send."""
        return self.filter(sent_at__isnull=True, sending_started_at__isnull=True)

    def sending(self):
        """Claimed by a sender that has not recorded the outcome (yet)."""
        return self.filter(sent_at__isnull=True, sending_started_at__isnull=False)

    def interrupted(self, *, now=None):
        """Claimed so long ago that the sender must have died or lost the
        database: it may or may not have been delivered."""
        started_before = (now or timezone.now()) - OutgoingMail.INTERRUPTED_AFTER
        return self.sending().filter(sending_started_at__lt=started_before)


class OutgoingMail(models.Model):
    """A mail written inside a transaction and sent by the worker after it
    commits.

    Sent at most once: a sender claims the mail (`sending_started_at`, and a
    `message_id` it will carry) in a committed transaction before it talks to
    the mail server, and records the outcome after. A failure of the server
    puts it back to pending for a later try; a sender that dies in between
    leaves it claimed, and staff decide (admin: interrupted)."""

    # Longer than any send lasts (a few EMAIL_TIMEOUTs): a claim this old has
    # lost its sender.
    INTERRUPTED_AFTER = datetime.timedelta(minutes=10)

    recipients = models.TextField(_("recipients"), help_text=_("One address per line."))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=7)
    reply_to = models.CharField(
        _("reply to"),
        max_length=255,
        blank=True,
        help_text=_("Where an answer to the mail goes, when not to the sender."),
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    sending_started_at = models.DateTimeField(
        _("sending started at"), null=True, blank=True
    )
    message_id = models.CharField(
        _("Message-ID"),
        max_length=255,
        blank=True,
        help_text=_("The mail's Message-ID header, to find it at the mail server."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, sending_started_at__isnull=True),
                name="outgoingmail_unsent",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sending_started_at__isnull=True) | ~Q(message_id=""),
                name="clair_portal_outgoingmail_claim_has_message_id",
                violation_error_message=_("A mail being sent needs its Message-ID."),
            )
        ]

    def __str__(self):
        return self.subject

    @property
    def state_label(self) -> str:
        if self.sent_at:
            return _("sent")
        if not self.sending_started_at:
            return _("pending")
        if self.sending_started_at < timezone.now() - self.INTERRUPTED_AFTER:
            return _("interrupted: check delivery by Message-ID")
        return _("being sent")


class ContentVersion(models.Model):
    """A row per table the public pages are made of, whose token changes with
    every committed change to that table. PostgreSQL sets it
    (clair_portal/foundation/page_cache.py installs the triggers); nothing in
    Python writes it but a missing row. Cached pages are kept under the tokens
    of the tables they read, so a change retires those pages and no other."""

    table = models.CharField(_("table"), max_length=63, unique=True)
    token = models.UUIDField(_("token"), default=uuid.uuid4)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"{self.table}: {self.token}"


# Translations to review -------------------------------------------------------------


class TranslationStateQuerySet(models.QuerySet):
    def to_review(self):
        return self.filter(needs_review=True)


class TranslationState(models.Model):
    """One language of one translated field of a record: when it last changed,
    by whom, and whether it is "to review" (another language of the field
    changed since, and nobody has confirmed that this one still says the
    same). Any model registered with modeltranslation, by content type; kept
    by clair_portal.foundation.translation_review alone."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("record ID"))
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    needs_review = models.BooleanField(_("to review"), default=False)
    # What asked for the review: another language's change, when and by whom.
    review_source = models.CharField(
        _("changed language"), max_length=7, choices=settings.LANGUAGES, blank=True
    )
    review_requested_at = models.DateTimeField(
        _("to review since"), null=True, blank=True
    )
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other language changed by"),
    )
    reviewed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )

    objects = TranslationStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation to review")
        verbose_name_plural = _("translations to review")
        ordering = [F("review_requested_at").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translationstate_one_per_field_and_language",
            ),
            models.CheckConstraint(
                condition=Q(needs_review=False)
                | (~Q(review_source="") & Q(review_requested_at__isnull=False)),
                name="translationstate_review_has_a_cause",
                violation_error_message=_(
                    "A translation to review names the language that changed."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(review_source=F("language")),
                name="translationstate_review_source_is_another_language",
                violation_error_message=_(
                    "A translation is reviewed against another language."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["review_requested_at"],
                condition=Q(needs_review=True),
                name="translationstate_to_review",
            )
        ]

    def __str__(self):
        return _("%(record)s: %(field)s (%(language)s)") % {
            "record": f"{self.content_type.name} {self.object_id}",
            "field": self.field,
            "language": self.get_language_display(),
        }

    def clean(self):
        super().clean()
        if self.review_source and self.review_source == self.language:
            raise ValidationError(
                {
                    "review_source": _(
                        "A translation is reviewed against another language."
                    )
                }
            )

    @property
    def model(self) -> type[models.Model] | None:
        return self.content_type.model_class()

    @property
    def field_label(self) -> str:
        try:
            return self.model._meta.get_field(self.field).verbose_name
        except (AttributeError, FieldDoesNotExist):  # no such model or field
            return self.field
