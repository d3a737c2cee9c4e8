"""The farm diary: input products, what was done on each plot, and harvests' eligibility.

Diary entries are evidence (DESIGN.md, principle 5): nothing here is edited or deleted. A
correction is a new entry that points at the one it corrects; the "current" diary leaves out
entries that were corrected, and withdrawals (entries saying an earlier one never happened).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.diary import rules
from coopchain.diary.units import DOSE_UNITS, HARVEST_UNITS, INPUT_UNITS, unit_choices
from coopchain.land.models import Crop, Plot
from coopchain.lib.text import fold
from coopchain.parties.models import Member, Organization
from coopchain.trace.models import Lot


class InputProductQuerySet(models.QuerySet):
    def available_to(self, organization: Organization) -> "InputProductQuerySet":
        """The platform's shared catalogue and the cooperative's own products."""
        return self.filter(Q(organization__isnull=True) | Q(organization=organization))


class InputProduct(models.Model):
    """A fertilizer, plant-protection product or feed that may be applied on a plot."""

    class Kind(models.TextChoices):
        FERTILIZER = "fertilizer", _("Fertilizer")
        PESTICIDE = "pesticide", _("Insecticide/pesticide")
        HERBICIDE = "herbicide", _("Herbicide")
        FUNGICIDE = "fungicide", _("Fungicide")
        FEED = "feed", _("Feed")
        OTHER = "other", _("Other")

    # None: the platform's shared catalogue, which every cooperative reads.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cooperative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="input_products",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    active_ingredients = models.CharField(_("active ingredient(s)"), max_length=255, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    banned = models.BooleanField(_("banned in Viet Nam"), default=False)
    banned_reason = models.CharField(_("why banned (legal basis)"), max_length=255, blank=True)
    max_dose_per_ha = models.DecimalField(
        _("maximum dose per hectare"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    dose_unit = models.CharField(
        _("unit of the maximum dose"), max_length=3, choices=unit_choices(DOSE_UNITS), blank=True
    )
    is_sample = models.BooleanField(
        _("sample data"),
        default=False,
        help_text=_("Shipped as an example: check it against the product's label and register."),
    )
    notes = models.TextField(_("notes"), blank=True)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InputProductQuerySet.as_manager()

    class Meta:
        ordering = ["banned", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=Q(organization__isnull=False),
                name="input_product_name_unique_per_org",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organization__isnull=True),
                name="input_product_name_unique_shared",
            ),
            models.CheckConstraint(
                condition=Q(max_dose_per_ha__isnull=True) | ~Q(dose_unit=""),
                name="input_product_dose_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def protects_plants(self) -> bool:
        return self.kind in rules.PLANT_PROTECTION


class InputProductPHI(models.Model):
    """A product's pre-harvest interval on one crop: the days between the last application and
    the earliest harvest, as its registration label gives them."""

    product = models.ForeignKey(InputProduct, on_delete=models.CASCADE, related_name="phis")
    crop = models.ForeignKey(
        Crop, verbose_name=_("crop"), on_delete=models.PROTECT, related_name="+"
    )
    days = models.PositiveSmallIntegerField(_("pre-harvest interval (days)"))

    class Meta:
        ordering = ["crop__sort_order"]
        verbose_name = _("pre-harvest interval")
        constraints = [
            models.UniqueConstraint(fields=["product", "crop"], name="phi_once_per_crop")
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.days} d on {self.crop}"


class ActivityQuerySet(models.QuerySet):
    def current(self) -> "ActivityQuerySet":
        """Entries that stand: neither corrected by a later one nor a withdrawal."""
        return self.filter(correction__isnull=True, withdrawn=False)


class Activity(models.Model):
    """One entry of a household's farm diary: what was done, on which plots, when."""

    class Kind(models.TextChoices):
        PLANTING = rules.PLANTING, _("Planting")
        FERTILIZING = rules.FERTILIZING, _("Fertilizing")
        SPRAYING = rules.SPRAYING, _("Spraying")
        IRRIGATION = rules.IRRIGATION, _("Irrigation")
        PRUNING = rules.PRUNING, _("Pruning")
        HARVEST = rules.HARVEST, _("Harvest")
        OTHER = rules.OTHER, _("Other")

    organization = models.ForeignKey(
        Organization, verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    # The household whose plots these are (every plot of an entry is one household's).
    household = models.ForeignKey(
        Member,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="diary_entries",
    )
    plots = models.ManyToManyField(Plot, through="ActivityPlot", related_name="diary_entries")
    kind = models.CharField(_("what was done"), max_length=12, choices=Kind.choices)
    performed_on = models.DateField(_("date"))
    performed_by = models.ForeignKey(
        Member,
        verbose_name=_("done by (member)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    worker_name = models.CharField(_("done by (worker)"), max_length=120, blank=True)
    crop = models.ForeignKey(
        Crop, verbose_name=_("crop"), null=True, blank=True, on_delete=models.PROTECT
    )
    area_treated_ha = models.DecimalField(
        _("area treated (ha)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    harvest_quantity = models.DecimalField(
        _("quantity harvested"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    harvest_unit = models.CharField(
        _("unit"), max_length=3, choices=unit_choices(HARVEST_UNITS), blank=True
    )
    lot = models.OneToOneField(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="harvest_entry"
    )
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    # A correction saying the entry it corrects never happened.
    withdrawn = models.BooleanField(_("withdraws the corrected entry"), default=False)
    correction_reason = models.CharField(_("reason for the correction"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    # Sent by the form or an app with each new entry, so a retried submission is not
    # recorded twice.
    submission_id = models.UUIDField(null=True, blank=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-performed_on", "-recorded_at", "-pk"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        indexes = [
            models.Index(fields=["organization", "performed_on"], name="activity_org_date"),
            models.Index(fields=["household", "performed_on"], name="activity_household_date"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "submission_id"],
                condition=Q(submission_id__isnull=False),
                name="activity_submitted_once",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn=False) | Q(corrects__isnull=False),
                name="activity_withdrawal_corrects_an_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.performed_on}"

    @property
    def is_harvest(self) -> bool:
        return self.kind == self.Kind.HARVEST

    @property
    def done_by(self) -> str:
        if self.performed_by_id:
            return self.performed_by.head_of_household
        return self.worker_name


class ActivityPlot(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="plot_links")
    plot = models.ForeignKey(Plot, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "plot"], name="activity_plot_once")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} on {self.plot_id}"


class ActivityLine(models.Model):
    """A product applied in an entry, with its quantity."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(
        InputProduct, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=3, choices=unit_choices(INPUT_UNITS))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="activity_line_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.quantity} {self.unit}"


class LotEligibility(models.Model):
    """Whether a harvest lot may carry certified claims, and why not, as found when the harvest
    was recorded (kept beside the ledger's lot rather than in it)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="diary_eligibility")
    harvest = models.OneToOneField(Activity, on_delete=models.PROTECT, related_name="eligibility")
    eligible = models.BooleanField(_("eligible for certified claims"))
    # Finding.as_dict() of each reason: code and params, so the page can word it in any language.
    reasons = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "lot eligibilities"

    def __str__(self) -> str:
        return f"{self.lot}: {'eligible' if self.eligible else 'not eligible'}"

    @property
    def reason_messages(self) -> list[str]:
        return [rules.describe(r["code"], r.get("params", {})) for r in self.reasons]
