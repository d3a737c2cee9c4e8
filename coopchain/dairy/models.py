"""Milk collection: deliveries with their quality readings, lab tests, the standards they are
checked against, rate charts, tanks and bulk lots, deductions and milk bills.

Deliveries are evidence and are never edited: a correction is a new delivery pointing at the
one it corrects (DESIGN.md, principle 5). Money is integer VND; quantities are Decimal.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.parties.models import Facility, Member, Organization
from coopchain.trace.models import Lot


class Shift(models.TextChoices):
    MORNING = "morning", _("Morning")
    EVENING = "evening", _("Evening")


class QualityStandard(models.Model):
    """A set of raw-milk limits: the national regulation, or a processor's stricter terms."""

    code = models.CharField(_("standard"), max_length=80)
    title = models.CharField(_("title"), max_length=255)
    # Null: a national standard that applies to every cooperative.
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    source = models.CharField(_("source"), max_length=255)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="standard_version_once")
        ]

    def __str__(self) -> str:
        return self.code


class QualityLimit(models.Model):
    class Parameter(models.TextChoices):
        DRY_MATTER = "dry_matter", _("Dry matter (total solids), %")
        FAT = "fat", _("Fat, %")
        PROTEIN = "protein", _("Protein, %")
        DENSITY = "density", _("Density at 20 °C, g/ml")
        ACIDITY = "acidity", _("Acidity, °T")
        FREEZING_POINT = "freezing_point", _("Freezing point, °C")
        SOMATIC_CELLS = "somatic_cells", _("Somatic cells per ml")
        PLATE_COUNT = "plate_count", _("Total plate count, CFU/ml")
        AFLATOXIN_M1 = "aflatoxin_m1", _("Aflatoxin M1, µg/kg")
        TEMPERATURE = "temperature", _("Storage temperature, °C")

    standard = models.ForeignKey(QualityStandard, on_delete=models.CASCADE, related_name="limits")
    parameter = models.CharField(max_length=20, choices=Parameter.choices)
    minimum = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "parameter"], name="limit_once_per_standard"
            )
        ]

    def __str__(self) -> str:
        return f"{self.parameter}: {self.minimum}–{self.maximum}"


class RateChart(models.Model):
    """What a processor pays per kg: a base price, total-solids grades, bacteria penalties."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rate_charts"
    )
    processor = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Null: every collection centre of the cooperative.
    centre = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    base_price = models.PositiveIntegerField(_("base price, VND/kg"))
    # The total solids the base price is for; grades step up and down from it.
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.name


class SolidsGrade(models.Model):
    """From `min_total_solids` % up, `adjustment` VND/kg is added (negative: taken off)."""

    chart = models.ForeignKey(RateChart, on_delete=models.CASCADE, related_name="solids_grades")
    min_total_solids = models.DecimalField(max_digits=5, decimal_places=2)
    adjustment = models.IntegerField()

    class Meta:
        ordering = ["min_total_solids"]

    def __str__(self) -> str:
        return f"≥ {self.min_total_solids} %: {self.adjustment:+d} VND/kg"


class FatSnfPrice(models.Model):
    """A cell of a two-axis chart: from `min_fat` % fat and `min_snf` % SNF up, `price` VND/kg
    replaces the chart's base price (the cell with the highest fat, then SNF, reached)."""

    chart = models.ForeignKey(RateChart, on_delete=models.CASCADE, related_name="grid")
    min_fat = models.DecimalField(max_digits=4, decimal_places=2)
    min_snf = models.DecimalField(max_digits=4, decimal_places=2)
    price = models.PositiveIntegerField()

    class Meta:
        ordering = ["min_fat", "min_snf"]
        constraints = [
            models.UniqueConstraint(fields=["chart", "min_fat", "min_snf"], name="grid_cell_once")
        ]

    def __str__(self) -> str:
        return f"fat ≥ {self.min_fat} %, SNF ≥ {self.min_snf} %: {self.price} VND/kg"


class BacteriaGrade(models.Model):
    """Above `above_count` bacteria per ml, `penalty` VND/kg is taken off."""

    chart = models.ForeignKey(RateChart, on_delete=models.CASCADE, related_name="bacteria_grades")
    above_count = models.PositiveBigIntegerField()
    penalty = models.PositiveIntegerField()

    class Meta:
        ordering = ["above_count"]

    def __str__(self) -> str:
        return f"> {self.above_count}/ml: −{self.penalty} VND/kg"


class Delivery(models.Model):
    """One member's milk at a collection centre in one shift, as the collector measured it."""

    class Unit(models.TextChoices):
        KG = "KGM", _("kg")
        LITRE = "LTR", _("litres")

    class Antibiotic(models.TextChoices):
        NOT_TESTED = "not_tested", _("Not tested")
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="milk_deliveries"
    )
    centre = models.ForeignKey(
        Facility, verbose_name=_("collection centre"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="milk_deliveries"
    )
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    delivered_at = models.DateTimeField(_("delivered at"))
    collection_day = models.DateField(_("day"), db_index=True)
    entered_quantity = models.DecimalField(max_digits=9, decimal_places=2)
    entered_unit = models.CharField(max_length=3, choices=Unit.choices)
    quantity_kg = models.DecimalField(_("quantity, kg"), max_digits=9, decimal_places=2)
    quantity_litres = models.DecimalField(_("quantity, litres"), max_digits=9, decimal_places=2)
    fat = models.DecimalField(_("fat %"), max_digits=4, decimal_places=2, null=True, blank=True)
    snf = models.DecimalField(_("SNF %"), max_digits=4, decimal_places=2, null=True, blank=True)
    density = models.DecimalField(
        _("density at 20 °C, g/ml"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    temperature = models.DecimalField(
        _("temperature, °C"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    chilled = models.BooleanField(_("chilled milk"), default=True)
    antibiotic = models.CharField(
        _("antibiotic test"), max_length=10, choices=Antibiotic.choices, default="not_tested"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACCEPTED)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=255, blank=True)
    flags = models.JSONField(default=list, blank=True)
    rate_chart = models.ForeignKey(
        RateChart, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept as computed when recorded: a later chart never changes an old delivery's price.
    price_per_kg = models.IntegerField(_("price, VND/kg"), null=True, blank=True)
    amount = models.BigIntegerField(_("amount, VND"), null=True, blank=True)
    price_lines = models.JSONField(default=list, blank=True)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )
    correction_reason = models.CharField(max_length=255, blank=True)
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    bulk_lot = models.ForeignKey(
        "BulkLot", null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["organization", "collection_day", "centre", "shift"]),
            models.Index(fields=["member", "collection_day"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="accepted") | ~Q(rejection_reason=""),
                name="rejected_delivery_says_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.collection_day} {self.shift} · {self.quantity_kg} kg"

    @property
    def total_solids(self) -> Decimal | None:
        if self.fat is None or self.snf is None:
            return None
        return self.fat + self.snf

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "correction")


class LabTest(models.Model):
    """A laboratory result attached after the fact to a delivery or a bulk lot."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.PROTECT, related_name="lab_tests"
    )
    bulk_lot = models.ForeignKey(
        "BulkLot", null=True, blank=True, on_delete=models.PROTECT, related_name="lab_tests"
    )
    # Whose milk it is, for a delivery's test: bacteria grades of later prices read it.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="milk_lab_tests"
    )
    sampled_on = models.DateField(_("sampled on"))
    plate_count = models.PositiveBigIntegerField(_("total bacterial count /ml"), null=True)
    somatic_cells = models.PositiveBigIntegerField(_("somatic cells /ml"), null=True)
    freezing_point = models.DecimalField(max_digits=5, decimal_places=3, null=True)
    protein = models.DecimalField(max_digits=4, decimal_places=2, null=True)
    aflatoxin_m1 = models.DecimalField(max_digits=6, decimal_places=3, null=True)
    acidity = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    laboratory = models.CharField(max_length=200, blank=True)
    flags = models.JSONField(default=list, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sampled_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__isnull=False) | Q(bulk_lot__isnull=False),
                name="lab_test_names_its_sample",
            )
        ]

    def __str__(self) -> str:
        return f"lab test {self.sampled_on}"


class BulkLot(models.Model):
    """The tank of a centre for one shift: one lot made from that shift's accepted deliveries."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    collection_day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=8, choices=Shift.choices)
    quantity_kg = models.DecimalField(max_digits=11, decimal_places=2)
    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="+")
    processor = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-collection_day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "collection_day", "shift"], name="one_bulk_lot_per_tank_shift"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} · {self.collection_day} {self.get_shift_display()}"


class TankReading(models.Model):
    """A cooling-tank temperature at a centre, entered or imported from a logger."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    measured_at = models.DateTimeField()
    temperature = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        ordering = ["measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "measured_at"], name="tank_reading_once")
        ]

    def __str__(self) -> str:
        return f"{self.measured_at:%Y-%m-%d %H:%M} {self.temperature} °C"


class Deduction(models.Model):
    """Money a member owes, taken off their next milk bill: feed on credit, an advance, a fee."""

    class Kind(models.TextChoices):
        FEED = "feed", _("Feed bought on credit")
        ADVANCE = "advance", _("Advance")
        FEE = "fee", _("Fee")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="milk_deductions")
    on = models.DateField(_("date"))
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount, VND"))
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} VND"


class MilkBill(models.Model):
    """One member's bill for one period. Its lines are not stored: they are the member's
    deliveries and deductions of the period as they stood at `created_at` (deliveries are
    append-only and a closed period refuses new ones), read back by `selectors.bill_lines`."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="milk_bills")
    period_start = models.DateField()
    period_end = models.DateField()
    delivery_count = models.PositiveIntegerField(default=0)
    quantity_kg = models.DecimalField(max_digits=11, decimal_places=2)
    gross = models.BigIntegerField()
    deductions = models.BigIntegerField()
    net = models.BigIntegerField()
    closed = models.BooleanField(default=False)
    # One moment for every bill of a run: the cut-off of the records its lines are read from.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "member__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "period_start", "period_end"], name="one_bill_per_member_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.period_start}–{self.period_end}"


class FarmSizeClass(models.Model):
    """A band of herd sizes, from `min_cows` up to `max_cows` (none: no upper bound)."""

    label = models.CharField(_("farm size"), max_length=60)
    min_cows = models.PositiveIntegerField()
    max_cows = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["min_cows"]
        constraints = [models.UniqueConstraint(fields=["min_cows"], name="farm_size_class_once")]

    def __str__(self) -> str:
        return self.label

    def holds(self, cows: int) -> bool:
        return cows >= self.min_cows and (self.max_cows is None or cows <= self.max_cows)


class HerdRecord(models.Model):
    """How many cows a member's farm had on a day; the latest record holds until the next."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="herd_records")
    on = models.DateField(_("date"))
    cows = models.PositiveIntegerField(_("cows"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "on"], name="herd_record_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.on}: {self.cows}"
