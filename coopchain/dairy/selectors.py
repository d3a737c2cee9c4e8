"""Reads of milk collection used by pages and the API, always through the tenancy helper."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.dairy.models import (
    BulkLot,
    Deduction,
    Delivery,
    FarmSizeClass,
    HerdRecord,
    MilkBill,
    Shift,
    TankReading,
)
from coopchain.dairy.standards import NATIONAL_LIMITS
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import scope

TANK_LIMIT = next(x.maximum for x in NATIONAL_LIMITS if x.parameter == "temperature")


def deliveries(user: Any, *, organization: Organization | None = None) -> QuerySet[Delivery]:
    rows = scope(Delivery.objects.all(), user).select_related("member", "centre", "corrects")
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows


def needing_attention(user: Any, *, organization: Organization, days: int = 14) -> list[dict]:
    """Current deliveries with flags or a rejection, grouped per centre and day."""
    since = timezone.localdate() - timedelta(days=days)
    rows = (
        deliveries(user, organization=organization)
        .filter(collection_day__gte=since, correction__isnull=True)
        .exclude(flags=[], status=Delivery.Status.ACCEPTED)
        .order_by("-collection_day", "centre__name", "shift", "member__code")
    )
    groups: dict[tuple[date, int], dict] = {}
    for delivery in rows:
        if not delivery.flags and delivery.status == Delivery.Status.ACCEPTED:
            continue
        key = (delivery.collection_day, delivery.centre_id)
        group = groups.setdefault(
            key, {"day": delivery.collection_day, "centre": delivery.centre, "deliveries": []}
        )
        group["deliveries"].append(delivery)
    return list(groups.values())


def members_matching(organization: Organization, text: str, limit: int = 8) -> list[Member]:
    """Members by code (exact first) or by name without diacritics."""
    if not text.strip():
        return []
    members = Member.objects.filter(organization=organization)
    exact = list(members.filter(code__iexact=text.strip()))
    if exact:
        return exact
    return list(members.search(text).order_by("code")[:limit])


def bulk_lots(user: Any, *, organization: Organization | None = None) -> QuerySet[BulkLot]:
    rows = scope(BulkLot.objects.all(), user).select_related("centre", "lot", "processor")
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows


def bills(user: Any, *, organization: Organization | None = None) -> QuerySet[MilkBill]:
    rows = scope(MilkBill.objects.all(), user).select_related("member")
    if organization is not None:
        rows = rows.filter(organization=organization)
    return rows


@dataclass(frozen=True)
class BillTotals:
    """What one member's bill for a period adds up to, before its lines are written."""

    member_id: int
    delivery_count: int
    quantity_kg: Decimal
    gross: int
    deductions: int

    @property
    def net(self) -> int:
        return self.gross - self.deductions


SUM_COLUMNS = ("member_id", "paid", "kg", "gross", "owed")


def bill_sums(
    organization: Organization, start: date, end: date
) -> tuple[QuerySet[Delivery], QuerySet[Deduction]]:
    """Per member, the period's sums from deliveries and from deductions, in the same
    columns (`SUM_COLUMNS`: member, paid deliveries, kg paid, VND paid, VND deducted) so the
    database can add the two up. Accepted current deliveries are paid; a rejected one still
    gives its member a bill. "Current" is written as NOT EXISTS a correction, which databases
    plan as an anti-join and estimate well (a LEFT JOIN … IS NULL made PostgreSQL sort the
    whole period on disk)."""
    paid = Q(status=Delivery.Status.ACCEPTED)
    kg = DecimalField(max_digits=11, decimal_places=2)
    # Only corrections can match: the database need not look at every other delivery.
    corrected = Delivery.objects.filter(corrects__isnull=False, corrects_id=OuterRef("pk"))
    deliveries = (
        Delivery.objects.filter(
            ~Exists(corrected),
            organization=organization,
            collection_day__gte=start,
            collection_day__lte=end,
        )
        .order_by()
        .values("member_id")
        .annotate(
            paid=Count("pk", filter=paid),
            kg=Coalesce(Sum("quantity_kg", filter=paid), Value(Decimal("0.00")), output_field=kg),
            gross=Coalesce(Sum("amount", filter=paid), 0, output_field=BigIntegerField()),
            owed=Value(0, output_field=BigIntegerField()),
        )
        .values_list(*SUM_COLUMNS)
    )
    deductions = (
        Deduction.objects.filter(organization=organization, on__gte=start, on__lte=end)
        .order_by()
        .values("member_id")
        .annotate(
            paid=Value(0, output_field=IntegerField()),
            kg=Value(Decimal("0.00"), output_field=kg),
            gross=Value(0, output_field=BigIntegerField()),
            owed=Sum("amount"),
        )
        .values_list(*SUM_COLUMNS)
    )
    return deliveries, deductions


def bill_totals(organization: Organization, start: date, end: date) -> list[BillTotals]:
    """Each billed member's sums for a period (`bill_sums`), aggregated by the database and
    read into Python: every member with a delivery or a deduction. Ordered by member id."""
    deliveries, deductions = bill_sums(organization, start, end)
    delivered = {row[0]: row for row in deliveries}
    owed = {row[0]: row[4] for row in deductions}
    totals = []
    for member_id in sorted(set(delivered) | set(owed)):
        _member, count, kg, gross, _owed = delivered.get(member_id) or (member_id, 0, 0, 0, 0)
        totals.append(
            BillTotals(
                member_id=member_id,
                delivery_count=count,
                quantity_kg=kg or Decimal("0.00"),
                gross=int(gross),
                deductions=int(owed.get(member_id) or 0),
            )
        )
    return totals


@dataclass(frozen=True)
class BillLine:
    """A line of a bill: a delivery (paid, rejected or unpriced) or a deduction."""

    kind: str
    description: str
    amount: int
    delivery_id: int | None = None
    deduction_id: int | None = None
    quantity_kg: Decimal | None = None
    price_per_kg: int | None = None


DELIVERY, DEDUCTION = "delivery", "deduction"
MEMBERS_PER_QUERY = 500


class _Wording:
    """Each line's wording, translated once for a whole list of bills."""

    def __init__(self) -> None:
        self.shifts = {value: str(label) for value, label in Shift.choices}
        self.kinds = {value: str(label) for value, label in Deduction.Kind.choices}
        self.rejected = _("%(when)s: %(kg)s kg rejected (%(reason)s), not paid")
        self.unpriced = _("%(when)s: %(kg)s kg, no rate chart in force, not priced")
        self.priced = _("%(when)s: %(kg)s kg × %(price)s VND/kg")

    def delivery(
        self,
        pk: int,
        day: date,
        shift: str,
        status: str,
        reason: str,
        kg: Decimal,
        per_kg: int | None,
        amount: int | None,
    ) -> BillLine:
        when = f"{day:%d/%m} {self.shifts.get(shift, shift)}"
        if status == Delivery.Status.REJECTED:
            text = self.rejected % {"when": when, "kg": kg, "reason": reason}
            amount = 0
        elif per_kg is None:
            text = self.unpriced % {"when": when, "kg": kg}
        else:
            text = self.priced % {"when": when, "kg": kg, "price": f"{per_kg:,}"}
        return BillLine(DELIVERY, text, amount or 0, pk, None, kg, per_kg)

    def deduction(self, pk: int, on: date, kind: str, note: str, amount: int) -> BillLine:
        text = f"{on:%d/%m}: {self.kinds.get(kind, kind)}"
        if note:
            text += f" — {note}"
        return BillLine(DEDUCTION, text, -amount, None, pk)


def bill_lines(bills: Sequence[MilkBill]) -> dict[int, list[BillLine]]:
    """Each bill's lines by bill id: its member's deliveries of the period (rejected ones at
    zero) and deductions, as they stood when the bill was made. A delivery recorded later, or
    a correction recorded later, waits for the period to be run again; a closed period takes
    neither, so its bills' lines never change. The lines add up to the bill's net."""
    found: dict[int, list[BillLine]] = {b.pk: [] for b in bills}
    if not bills:
        return found
    wording = _Wording()
    by_member: dict[int, list[MilkBill]] = defaultdict(list)
    for bill in bills:
        by_member[bill.member_id].append(bill)
    first = min(b.period_start for b in bills)
    last = max(b.period_end for b in bills)
    latest = max(b.created_at for b in bills)
    members = sorted(by_member)
    for index in range(0, len(members), MEMBERS_PER_QUERY):
        chunk = members[index : index + MEMBERS_PER_QUERY]
        deliveries = (
            Delivery.objects.filter(
                member_id__in=chunk,
                collection_day__gte=first,
                collection_day__lte=last,
                recorded_at__lte=latest,
            )
            .order_by("delivered_at", "pk")
            .values_list(
                "member_id",
                "organization_id",
                "recorded_at",
                "correction__recorded_at",
                "pk",
                "collection_day",
                "shift",
                "status",
                "rejection_reason",
                "quantity_kg",
                "price_per_kg",
                "amount",
            )
        )
        for member_id, org_id, recorded, corrected, *line in deliveries:
            for bill in by_member[member_id]:
                if (
                    org_id == bill.organization_id
                    and bill.period_start <= line[1] <= bill.period_end
                    and recorded <= bill.created_at
                    and (corrected is None or corrected > bill.created_at)
                ):
                    found[bill.pk].append(wording.delivery(*line))
        deductions = (
            Deduction.objects.filter(
                member_id__in=chunk, on__gte=first, on__lte=last, created_at__lte=latest
            )
            .order_by("on", "pk")
            .values_list(
                "member_id", "organization_id", "created_at", "pk", "on", "kind", "note", "amount"
            )
        )
        for member_id, org_id, created, *line in deductions:
            for bill in by_member[member_id]:
                if (
                    org_id == bill.organization_id
                    and bill.period_start <= line[1] <= bill.period_end
                    and created <= bill.created_at
                ):
                    found[bill.pk].append(wording.deduction(*line))
    return found


def hours_above(centre: Facility, day: date, limit: Decimal = TANK_LIMIT) -> Decimal:
    """Hours of `day` the tank spent above `limit`: each reading holds until the next."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = start + timedelta(days=1)
    readings = list(
        TankReading.objects.filter(centre=centre, measured_at__gte=start, measured_at__lt=end)
        .order_by("measured_at")
        .values_list("measured_at", "temperature")
    )
    seconds = 0.0
    for (moment, temperature), (following, _t) in zip(readings, readings[1:], strict=False):
        if temperature > limit:
            seconds += (following - moment).total_seconds()
    return Decimal(seconds / 3600).quantize(Decimal("0.1"))


def tank_days(centre: Facility, days: int = 14) -> list[dict]:
    today = timezone.localdate()
    found: dict[date, list[Decimal]] = defaultdict(list)
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))
    for moment, temperature in TankReading.objects.filter(
        centre=centre, measured_at__gte=since
    ).values_list("measured_at", "temperature"):
        found[timezone.localdate(moment)].append(temperature)
    return [
        {
            "day": day,
            "highest": max(values),
            "lowest": min(values),
            "hours_above": hours_above(centre, day),
        }
        for day, values in sorted(found.items(), reverse=True)
    ]


def milk_by_farm_size(
    user: Any, *, organization: Organization, start: date, end: date
) -> list[dict[str, Any]]:
    """Accepted milk of a period by farm size class: each farm is classed by its latest herd
    record on or before `end`; farms without one are counted apart."""
    herds: dict[int, int] = {}
    for member_id, cows in (
        scope(HerdRecord.objects.all(), user)
        .filter(organization=organization, on__lte=end)
        .order_by("member_id", "on", "id")
        .values_list("member_id", "cows")
    ):
        herds[member_id] = cows
    milk = dict(
        deliveries(user, organization=organization)
        .filter(
            collection_day__gte=start,
            collection_day__lte=end,
            correction__isnull=True,
            status=Delivery.Status.ACCEPTED,
        )
        .order_by()
        .values("member_id")
        .annotate(kg=Sum("quantity_kg"))
        .values_list("member_id", "kg")
    )
    classes = list(FarmSizeClass.objects.all())
    rows = [{"label": c.label, "farms": 0, "cows": 0, "kg": Decimal(0)} for c in classes]
    unknown = {"label": _("no herd record"), "farms": 0, "cows": 0, "kg": Decimal(0)}
    for member_id in set(herds) | set(milk):
        cows = herds.get(member_id)
        row = unknown
        if cows is not None:
            row = next((r for c, r in zip(classes, rows, strict=True) if c.holds(cows)), unknown)
            row["cows"] += cows
        row["farms"] += 1
        row["kg"] += milk.get(member_id) or 0
    total = sum((r["kg"] for r in [*rows, unknown]), start=Decimal(0))
    result = [*rows, unknown] if unknown["farms"] else rows
    for row in result:
        share = row["kg"] * 100 / total if total else Decimal(0)
        row["share"] = share.quantize(Decimal("0.1"))
    return result
