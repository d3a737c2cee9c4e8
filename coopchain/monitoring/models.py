"""Cooperative reports, linkage models and provincial targets: what monitoring reads and keeps."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coopchain.parties.models import AdminUnit, Organization

# The figures a report carries, in the order the form and the API show them.
MONEY_FIELDS = (
    "revenue",
    "cost",
    "profit",
    "average_member_income",
    "charter_capital",
    "loans",
    "support_received",
    "output_value",
    "linkage_output_value",
)
COUNT_FIELDS = ("members", "workers", "ocop_stars")
FLAG_FIELDS = ("brand_registered", "traceability_in_use")
REPORT_FIELDS = MONEY_FIELDS + COUNT_FIELDS + FLAG_FIELDS


class CooperativeReport(models.Model):
    """One version of a cooperative's report for a half-year or a year.

    Submitted reports are never changed: a correction is a new version of the same period, and
    the highest version is the one that counts.
    """

    class Half(models.IntegerChoices):
        YEAR = 0, _("Whole year")
        FIRST = 1, _("First half")
        SECOND = 2, _("Second half")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="monitoring_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("period"), choices=Half.choices)
    version = models.PositiveSmallIntegerField(default=1)
    revenue = models.BigIntegerField(_("revenue (VND)"), null=True, blank=True)
    cost = models.BigIntegerField(_("cost (VND)"), null=True, blank=True)
    profit = models.BigIntegerField(_("profit (VND)"), null=True, blank=True)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("regular workers"), null=True, blank=True)
    average_member_income = models.BigIntegerField(
        _("average income per member (VND)"), null=True, blank=True
    )
    charter_capital = models.BigIntegerField(_("charter capital (VND)"), null=True, blank=True)
    loans = models.BigIntegerField(_("loans outstanding (VND)"), null=True, blank=True)
    support_received = models.BigIntegerField(
        _("state support received (VND)"), null=True, blank=True
    )
    output_value = models.BigIntegerField(_("output value (VND)"), null=True, blank=True)
    linkage_output_value = models.BigIntegerField(
        _("output value through linkage contracts (VND)"), null=True, blank=True
    )
    brand_registered = models.BooleanField(_("brand registered"), null=True, blank=True)
    traceability_in_use = models.BooleanField(_("traceability in use"), null=True, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), null=True, blank=True)
    # Field name -> where the figure came from ("membership register", "entered", ...).
    sources = models.JSONField(default=dict)
    note = models.CharField(_("note"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "-year", "-half", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "half", "version"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__lte=5),
                name="report_ocop_stars_at_most_five",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.period_label} v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("A submitted report is never changed; submit a new version.")
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        if self.half == self.Half.YEAR:
            return str(self.year)
        return f"{self.year} H{self.half}"

    @property
    def period_start(self) -> date:
        return date(self.year, 7 if self.half == self.Half.SECOND else 1, 1)

    @property
    def period_end(self) -> date:
        return period_end(self.year, self.half)


def period_end(year: int, half: int) -> date:
    return date(year, 6, 30) if half == CooperativeReport.Half.FIRST else date(year, 12, 31)


def period_start(year: int, half: int) -> date:
    return date(year, 7, 1) if half == CooperativeReport.Half.SECOND else date(year, 1, 1)


class LinkageModel(models.Model):
    """A production–consumption linkage model in a commune (Decree 98/2018/NĐ-CP)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    ward = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune/ward"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.WARD},
    )
    province = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    commodity = models.CharField(_("commodity"), max_length=80)
    cooperative = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="linkage_models"
    )
    enterprise = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    # Further cooperatives and enterprises in the model, beside the lead ones above.
    partners = models.ManyToManyField(
        Organization, blank=True, related_name="linkage_model_partnerships"
    )
    # The linkage contracts that realise the model: its output value flows through them.
    contracts = models.ManyToManyField(
        "contracts.LinkageContract", blank=True, related_name="linkage_models"
    )

    class Meta:
        ordering = ["ward__name", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.province_id = self.ward.province_id
        super().save(*args, **kwargs)


class ProvinceTarget(models.Model):
    """A target a province set itself, as data: what is measured, the bar and the year."""

    class Measure(models.TextChoices):
        OUTPUT_SHARE = "output_share", _("Share of agricultural output value from cooperatives")
        COMMUNES_WITH_LINKAGES = (
            "communes_with_linkages",
            _("Share of communes with enough linkage models"),
        )
        TRACEABILITY_SHARE = "traceability_share", _("Share of cooperatives with traceability")
        BRAND_SHARE = "brand_share", _("Share of cooperatives with a registered brand")
        GOOD_SHARE = "good_share", _("Share of rated cooperatives rated good or fair")

    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    code = models.SlugField(max_length=40)
    title = models.CharField(_("title"), max_length=255)
    source = models.CharField(_("source"), max_length=120)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    # Percent; for linkages, the share of communes with at least `per_commune` models.
    target_percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    per_commune = models.PositiveSmallIntegerField(default=0)
    due_year = models.PositiveSmallIntegerField(_("by year"))

    class Meta:
        ordering = ["province", "code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "code"], name="province_target_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ProvinceOutput(models.Model):
    """The province's total agricultural output value for a year, from its statistics office:
    the one figure the platform cannot compute from cooperatives' records."""

    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    year = models.PositiveSmallIntegerField()
    agricultural_output_value = models.BigIntegerField()

    class Meta:
        ordering = ["province", "year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="province_output_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.year}"


class SupportProgramme(models.Model):
    """A province's support programme for cooperatives (credit, equipment, training, brands)."""

    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": AdminUnit.Level.PROVINCE},
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("legal basis or funder"), max_length=200, blank=True)
    starts_year = models.PositiveSmallIntegerField(_("from year"))
    ends_year = models.PositiveSmallIntegerField(_("to year"))

    class Meta:
        ordering = ["province", "-starts_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="support_programme_unique"),
            models.CheckConstraint(
                condition=Q(ends_year__gte=models.F("starts_year")),
                name="support_programme_years_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SupportAllocation(models.Model):
    """What a programme committed to one cooperative and how much of it was paid out."""

    programme = models.ForeignKey(
        SupportProgramme, on_delete=models.PROTECT, related_name="allocations"
    )
    beneficiary = models.ForeignKey(
        Organization,
        verbose_name=_("beneficiary"),
        on_delete=models.PROTECT,
        related_name="support_allocations",
    )
    committed = models.BigIntegerField(_("committed (VND)"))
    disbursed = models.BigIntegerField(_("disbursed (VND)"), default=0)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["programme", "beneficiary__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "beneficiary"], name="support_allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(disbursed__gte=0),
                name="support_allocation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.beneficiary}"


class CooperativeIndicators(models.Model):
    """The figures early warning counts from a cooperative's households and deliveries, kept as
    they stood on one day so the province's dashboard need not count them again.

    Written by `indicators.refresh_indicators`; a write to memberships, contracts, windows or
    deliveries drops the cooperative's row, so a kept row equals the records on its day.
    """

    organization = models.OneToOneField(
        Organization, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    as_of = models.DateField()
    members_now = models.PositiveIntegerField()
    members_year_before = models.PositiveIntegerField()
    # The earliest contract window behind on `as_of` and what was delivered in it; a plain id,
    # as contracts are an optional app that monitoring reads when it is there.
    behind_window_id = models.PositiveBigIntegerField(null=True, blank=True)
    behind_delivered = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    behind_windows = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organization_id} {self.as_of}"


class CooperativeYearRating(models.Model):
    """A cooperative's rating on its reports up to the end of one year, kept so the dashboard's
    trends need not rate every cooperative for every year again.

    Written by `indicators.refresh_indicators`; a report submitted or removed, or a change to the
    cooperative (its status, its founding date), drops the cooperative's rows, so a kept row
    equals the rating computed from the reports.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=20)
    score = models.SmallIntegerField(null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="cooperative_year_rating_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.grade}"
