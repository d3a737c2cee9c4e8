"""Production–consumption linkage contracts (Decree 98/2018/NĐ-CP), the market prices their
terms refer to, deliveries against them, and the money between a cooperative and its members.

Money is integer VND; quantities are Decimal kilograms. Deliveries, ledger entries and approved
payment runs are evidence: they are corrected by new rows, never edited.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coopchain.parties.models import AdminUnit, Member, Organization


class LinkageContract(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        TERMINATED = "terminated", _("Terminated")

    class PriceKind(models.TextChoices):
        FIXED = "fixed", _("Fixed price")
        MARKET = "market", _("Market price plus or minus a percentage")

    number = models.CharField(_("contract number"), max_length=40)
    buyer = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contracts_as_buyer"
    )
    seller = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contracts_as_seller"
    )
    # The seller's members sell directly: the cooperative (buyer and seller both) buys its own
    # members' output under these terms.
    from_members = models.BooleanField(_("bought from the seller's members"), default=False)
    commodity = models.CharField(_("commodity"), max_length=120)
    season = models.CharField(_("season or period"), max_length=80, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    quantity_kg = models.DecimalField(_("contracted quantity, kg"), max_digits=12, decimal_places=2)
    price_kind = models.CharField(max_length=8, choices=PriceKind.choices)
    fixed_price = models.PositiveIntegerField(_("fixed price, VND/kg"), null=True, blank=True)
    market_province = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    market_percent = models.DecimalField(
        _("percent over the market price"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    floor_price = models.PositiveIntegerField(_("floor price, VND/kg"), null=True, blank=True)
    ceiling_price = models.PositiveIntegerField(_("ceiling price, VND/kg"), null=True, blank=True)
    # Share of each delivery's amount withheld until the buyer's inputs and advances are repaid.
    recovery_percent = models.DecimalField(
        _("percent of each delivery recovered for advances"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
    )
    # What the grades are measured by on each delivery, e.g. "moisture, %".
    quality_measure = models.CharField(_("quality measured as"), max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    buyer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buyer_signed_at = models.DateTimeField(null=True, blank=True)
    seller_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller_signed_at = models.DateTimeField(null=True, blank=True)
    activated_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "number"], name="contract_number_per_buyer")
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.commodity}"

    @property
    def takes_deliveries(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.ACTIVE)


class DeliveryWindow(models.Model):
    contract = models.ForeignKey(LinkageContract, on_delete=models.CASCADE, related_name="windows")
    starts_on = models.DateField()
    ends_on = models.DateField()
    quantity_kg = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"


class QualityGrade(models.Model):
    """A grade of the quality specification: VND/kg added (premium) or taken off (penalty)."""

    contract = models.ForeignKey(LinkageContract, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=120)
    adjustment = models.IntegerField(_("premium (+) or penalty (−), VND/kg"), default=0)
    # The measured quality a delivery of this grade lies within (either end open).
    lowest = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    highest = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["-adjustment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "code"], name="grade_code_per_contract")
        ]

    def __str__(self) -> str:
        return self.name


class Advance(models.Model):
    """Inputs or cash the buyer provided, recovered from the amounts of later deliveries."""

    class Kind(models.TextChoices):
        INPUTS = "inputs", _("Inputs")
        CASH = "cash", _("Cash advance")

    contract = models.ForeignKey(LinkageContract, on_delete=models.CASCADE, related_name="advances")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    provided_on = models.DateField()
    description = models.CharField(max_length=200)
    amount = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["provided_on", "id"]

    def __str__(self) -> str:
        return self.description


class MarketPrice(models.Model):
    """A reference price of a commodity in a province's market on a day."""

    commodity = models.CharField(max_length=120)
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    price = models.PositiveIntegerField(_("price, VND/kg"))
    source = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "commodity"]
        constraints = [
            models.UniqueConstraint(
                fields=["commodity", "province", "on"], name="one_market_price_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commodity} {self.on} {self.price} VND/kg"


class ContractDelivery(models.Model):
    contract = models.ForeignKey(
        LinkageContract, on_delete=models.PROTECT, related_name="deliveries"
    )
    # One lot reaches one contract once: a lot named again is refused.
    lot = models.OneToOneField(
        "trace.Lot", on_delete=models.PROTECT, related_name="contract_delivery"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivered_on = models.DateField()
    quantity_kg = models.DecimalField(max_digits=12, decimal_places=2)
    grade = models.ForeignKey(
        QualityGrade, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        DeliveryWindow, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    measured_quality = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    below_specification = models.BooleanField(default=False)
    # The version of the terms the price came from: 1 as signed, then each amendment's.
    terms_version = models.PositiveSmallIntegerField(default=1)
    price_per_kg = models.PositiveIntegerField()
    price_lines = models.JSONField(default=list)
    amount = models.PositiveBigIntegerField()
    recovered = models.PositiveBigIntegerField(default=0)
    beyond_contract = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-delivered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.delivered_on} · {self.quantity_kg} kg"

    @property
    def net(self) -> int:
        return self.amount - self.recovered


class DeliveryReceipt(models.Model):
    """The buyer's confirmation that a delivery arrived: what it accepted and what it refused,
    recorded in the ledger as an EPCIS receiving event."""

    delivery = models.OneToOneField(
        ContractDelivery, on_delete=models.PROTECT, related_name="receipt"
    )
    received_on = models.DateField()
    accepted_kg = models.DecimalField(max_digits=12, decimal_places=2)
    rejected_kg = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason for rejecting"), max_length=400, blank=True)
    event_id = models.CharField(max_length=200)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.delivery} · {self.accepted_kg} kg accepted"


class ContractAmendment(models.Model):
    """A change to a signed contract's terms. Versions are kept: the contract as signed is
    version 1, each amendment the next. Signed by both parties, it is in force from
    `in_force_on`, the later of its effective date and the day the second party signed."""

    contract = models.ForeignKey(
        LinkageContract, on_delete=models.PROTECT, related_name="amendments"
    )
    version = models.PositiveSmallIntegerField()
    effective_on = models.DateField(_("in force from"))
    reason = models.CharField(_("reason"), max_length=400)
    quantity_kg = models.DecimalField(_("contracted quantity, kg"), max_digits=12, decimal_places=2)
    price_kind = models.CharField(max_length=8, choices=LinkageContract.PriceKind.choices)
    fixed_price = models.PositiveIntegerField(_("fixed price, VND/kg"), null=True, blank=True)
    market_percent = models.DecimalField(
        _("percent over the market price"), max_digits=5, decimal_places=2, default=Decimal(0)
    )
    floor_price = models.PositiveIntegerField(_("floor price, VND/kg"), null=True, blank=True)
    ceiling_price = models.PositiveIntegerField(_("ceiling price, VND/kg"), null=True, blank=True)
    buyer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    buyer_signed_at = models.DateTimeField(null=True, blank=True)
    seller_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller_signed_at = models.DateTimeField(null=True, blank=True)
    in_force_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "version"], name="one_amendment_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} v{self.version}"

    @property
    def signed(self) -> bool:
        return self.in_force_on is not None


class LedgerEntry(models.Model):
    """One amount between a cooperative and a member. Positive: the cooperative owes the member
    (produce bought, milk); negative: the member owes the cooperative (inputs on credit,
    advances, fees) or was paid. A member's balance is the sum of their entries."""

    class Kind(models.TextChoices):
        PRODUCE = "produce", _("Produce bought")
        MILK = "milk", _("Milk bill")
        INPUTS = "inputs", _("Inputs on credit")
        ADVANCE = "advance", _("Advance")
        FEE = "fee", _("Fee")
        PAYMENT = "payment", _("Payment")
        CORRECTION = "correction", _("Correction")

    DEBTS = (Kind.INPUTS, Kind.ADVANCE, Kind.FEE)

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="ledger_entries")
    on = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField()
    description = models.CharField(max_length=400)
    delivery = models.OneToOneField(
        ContractDelivery, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    milk_bill = models.OneToOneField(
        "dairy.MilkBill", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment_line = models.OneToOneField(
        "PaymentLine", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name_plural = "ledger entries"

    def __str__(self) -> str:
        return f"{self.on} {self.description} {self.amount}"


class PaymentRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    # At most this share of what a member is due is kept back against what they owe.
    recovery_limit_percent = models.PositiveSmallIntegerField(default=50)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class PaymentLine(models.Model):
    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    due = models.BigIntegerField()
    outstanding_debt = models.BigIntegerField()
    deduction = models.BigIntegerField()
    pay = models.BigIntegerField()
    explanation = models.JSONField(default=list)

    class Meta:
        ordering = ["member__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "member"], name="one_line_per_member_run")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.pay}"
