"""Every write of milk collection, with its rules."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.dairy import checks, ledger, pricing, selectors
from coopchain.dairy.models import (
    BacteriaGrade,
    BulkLot,
    Deduction,
    Delivery,
    FatSnfPrice,
    HerdRecord,
    LabTest,
    MilkBill,
    RateChart,
    Shift,
    SolidsGrade,
    TankReading,
)
from coopchain.dairy.standards import Limits, limits_for
from coopchain.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from coopchain.parties.models import Facility, Member, Organization, Role
from coopchain.parties.tenancy import SYSTEM, grants_for, require_write

# Typical density of whole cow's milk at 20 °C, used to convert litres and kilograms only
# when the collector measured none.
TYPICAL_DENSITY = Decimal("1.030")
CENT = Decimal("0.01")
# How long a member's bacteria count from the lab keeps grading their milk's price.
LAB_RESULT_DAYS = 31
HISTORY_DELIVERIES = 20


def require_collect(user: Any, organization: Organization) -> None:
    """Collectors record deliveries, as do the cooperative's staff and managers."""
    if user is SYSTEM:
        return
    grants = grants_for(user)
    if organization.pk not in grants.org_ids:
        raise NotFound(detail=_("No organization matches."))
    if organization.pk not in grants.record_org_ids:
        raise Forbidden(detail=_("Your role in this organization does not record deliveries."))


def _check_range(
    errors: list[FieldError], name: str, value: Decimal | None, low: str, high: str
) -> None:
    if value is not None and not Decimal(low) <= value <= Decimal(high):
        errors.append(
            FieldError(
                name,
                _("must be between %(low)s and %(high)s") % {"low": low, "high": high},
                str(value),
            )
        )


@dataclass
class Reading:
    """What the collector enters for one delivery."""

    quantity: Decimal
    unit: str = Delivery.Unit.KG
    fat: Decimal | None = None
    snf: Decimal | None = None
    density: Decimal | None = None
    lactometer: Decimal | None = None
    temperature: Decimal | None = None
    chilled: bool = True
    antibiotic: str = Delivery.Antibiotic.NOT_TESTED
    rejection_reason: str = ""

    def errors(self) -> list[FieldError]:
        found: list[FieldError] = []
        _check_range(found, "quantity", self.quantity, "0.1", "5000")
        _check_range(found, "fat", self.fat, "0", "15")
        _check_range(found, "snf", self.snf, "0", "15")
        _check_range(found, "density", self.density, "1.000", "1.050")
        _check_range(found, "lactometer", self.lactometer, "0", "50")
        _check_range(found, "temperature", self.temperature, "-5", "45")
        if self.unit not in Delivery.Unit.values:
            found.append(FieldError("unit", _("must be kg or litres"), self.unit))
        if self.antibiotic not in Delivery.Antibiotic.values:
            found.append(FieldError("antibiotic", _("unknown test result"), self.antibiotic))
        return found

    def measured_density(self) -> Decimal | None:
        if self.density is not None:
            return self.density
        if self.lactometer is not None:
            # A lactometer reads (density − 1) × 1000.
            return Decimal(1) + self.lactometer / 1000
        return None


def _raise(errors: list[FieldError]) -> None:
    if errors:
        first = errors[0]
        raise InvalidInput(detail=f"{first.field}: {first.reason}", errors=errors)


def chart_for(organization: Organization, centre: Facility | None, day: date) -> RateChart | None:
    """The rate chart in force at a centre on a day: the centre's own before the
    cooperative's, the latest started first."""
    charts = RateChart.objects.filter(organization=organization, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    charts = charts.filter(Q(centre=centre) | Q(centre__isnull=True))
    ranked = sorted(
        charts.prefetch_related("solids_grades", "bacteria_grades", "grid"),
        key=lambda c: (c.centre_id is None, -c.valid_from.toordinal(), -c.pk),
    )
    return ranked[0] if ranked else None


def as_chart(chart: RateChart) -> pricing.Chart:
    return pricing.Chart(
        base_price=chart.base_price,
        solids_grades=[(g.min_total_solids, g.adjustment) for g in chart.solids_grades.all()],
        bacteria_grades=[(g.above_count, g.penalty) for g in chart.bacteria_grades.all()],
        grid=[(c.min_fat, c.min_snf, c.price) for c in chart.grid.all()],
    )


def latest_plate_count(member: Member, day: date) -> int | None:
    test = (
        LabTest.objects.filter(
            member=member,
            plate_count__isnull=False,
            sampled_on__lte=day,
            sampled_on__gt=day - timedelta(days=LAB_RESULT_DAYS),
        )
        .order_by("-sampled_on", "-id")
        .first()
    )
    return test.plate_count if test else None


def _prepare(
    *,
    centre: Facility,
    member: Member,
    shift: str,
    delivered_at: datetime,
    reading: Reading,
    by: Any,
    history: Sequence[Decimal],
    chart: RateChart | None,
    plate_count: int | None,
    limits: Limits | None = None,
    terms: pricing.Chart | None = None,
) -> Delivery:
    errors = reading.errors()
    if centre.kind != Facility.Kind.COLLECTION_CENTRE:
        errors.append(FieldError("centre", _("is not a collection centre"), centre.pk))
    if member.organization_id != centre.organization_id:
        errors.append(FieldError("member", _("is not a member of this cooperative"), member.pk))
    if shift not in Shift.values:
        errors.append(FieldError("shift", _("must be morning or evening"), shift))
    if timezone.is_naive(delivered_at):
        errors.append(FieldError("delivered_at", _("needs a time zone"), str(delivered_at)))
    elif delivered_at > timezone.now() + timedelta(minutes=5):
        errors.append(FieldError("delivered_at", _("is in the future"), str(delivered_at)))
    _raise(errors)
    density = reading.measured_density()
    conversion = density or TYPICAL_DENSITY
    if reading.unit == Delivery.Unit.LITRE:
        litres = reading.quantity
        kg = (litres * conversion).quantize(CENT)
    else:
        kg = reading.quantity
        litres = (kg / conversion).quantize(CENT)
    day = timezone.localdate(delivered_at)
    flags = checks.delivery_flags(
        limits=limits or limits_for(centre.organization, day),
        fat=reading.fat,
        snf=reading.snf,
        density=density,
        temperature=reading.temperature,
        chilled=reading.chilled,
        antibiotic=reading.antibiotic,
        quantity_kg=kg,
        history_kg=history,
    )
    reason = reading.rejection_reason.strip()
    if reading.antibiotic == Delivery.Antibiotic.POSITIVE and not reason:
        reason = _("Antibiotic residue test positive")
    delivery = Delivery(
        organization_id=centre.organization_id,
        centre=centre,
        member=member,
        shift=shift,
        delivered_at=delivered_at,
        collection_day=day,
        entered_quantity=reading.quantity,
        entered_unit=reading.unit,
        quantity_kg=kg,
        quantity_litres=litres,
        fat=reading.fat,
        snf=reading.snf,
        density=density,
        temperature=reading.temperature,
        chilled=reading.chilled,
        antibiotic=reading.antibiotic,
        status=Delivery.Status.REJECTED if reason else Delivery.Status.ACCEPTED,
        rejection_reason=reason[:255],
        flags=flags,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _price(delivery, chart, plate_count, terms)
    return delivery


def _price(
    delivery: Delivery,
    chart: RateChart | None,
    plate_count: int | None,
    terms: pricing.Chart | None = None,
) -> None:
    if delivery.status == Delivery.Status.REJECTED:
        delivery.price_per_kg, delivery.amount = 0, 0
        delivery.price_lines = [{"code": "rejected", "amount": 0}]
        return
    if chart is None:
        delivery.price_per_kg, delivery.amount, delivery.price_lines = None, None, []
        return
    price = pricing.price_per_kg(
        terms or as_chart(chart),
        total_solids=delivery.total_solids,
        plate_count=plate_count,
        fat=delivery.fat,
        snf=delivery.snf,
    )
    delivery.rate_chart = chart
    delivery.price_per_kg = price.per_kg
    delivery.amount = pricing.amount(delivery.quantity_kg, price.per_kg)
    delivery.price_lines = price.lines


def _history(member: Member, before: datetime) -> list[Decimal]:
    return list(
        Delivery.objects.filter(
            member=member,
            status=Delivery.Status.ACCEPTED,
            correction__isnull=True,
            delivered_at__lt=before,
        )
        .order_by("-delivered_at")
        .values_list("quantity_kg", flat=True)[:HISTORY_DELIVERIES]
    )


def _closed_bill_covers(member: Member, day: date) -> bool:
    return MilkBill.objects.filter(
        member=member, closed=True, period_start__lte=day, period_end__gte=day
    ).exists()


@transaction.atomic
def record_delivery(
    *,
    centre: Facility,
    member: Member,
    shift: str,
    delivered_at: datetime,
    reading: Reading,
    by: Any,
    corrects: Delivery | None = None,
    correction_reason: str = "",
) -> Delivery:
    """Record a delivery, its flags and price, and (when accepted) its lot in the ledger.

    With `corrects`, the new record replaces that delivery: the old one stays, marked by
    the new one, and its ledger event is declared erroneous.
    """
    require_collect(by, centre.organization)
    if corrects is not None:
        _check_correctable(corrects)
    day = timezone.localdate(delivered_at) if timezone.is_aware(delivered_at) else None
    if day is not None and _closed_bill_covers(member, day):
        raise Conflict(detail=_("This member's bill for that day is closed."))
    chart = chart_for(centre.organization, centre, day) if day else None
    delivery = _prepare(
        centre=centre,
        member=member,
        shift=shift,
        delivered_at=delivered_at,
        reading=reading,
        by=by,
        history=_history(member, delivered_at),
        chart=chart,
        plate_count=latest_plate_count(member, day) if day else None,
    )
    delivery.corrects = corrects
    delivery.correction_reason = correction_reason[:255]
    if delivery.status == Delivery.Status.ACCEPTED:
        ledger.commission_delivery_lots(centre.organization, [delivery])
    delivery.save()
    if corrects is not None:
        ledger.declare_corrected(corrects, delivery)
    return delivery


@dataclass(frozen=True)
class DeliveryRow:
    """One delivery of a batch (a day's sheet, a synced phone, the demo)."""

    centre: Facility
    member: Member
    shift: str
    delivered_at: datetime
    reading: Reading


@transaction.atomic
def record_deliveries(*, organization: Organization, rows: Sequence[DeliveryRow], by: Any) -> int:
    """Record many deliveries at once, all or nothing, their lots in one ledger call.

    Each is checked and priced as `record_delivery` does, against the member's history
    before the batch (not the other rows of it).
    """
    require_collect(by, organization)
    charts: dict[tuple[int, date], RateChart | None] = {}
    terms: dict[int, pricing.Chart] = {}
    limits: dict[date, Limits] = {}
    made = []
    for row in rows:
        if row.centre.organization_id != organization.pk:
            raise NotFound(detail=_("No collection centre matches."))
        day = timezone.localdate(row.delivered_at)
        key = (row.centre.pk, day)
        if key not in charts:
            charts[key] = chart_for(organization, row.centre, day)
        if day not in limits:
            limits[day] = limits_for(organization, day)
        chart = charts[key]
        if chart is not None and chart.pk not in terms:
            terms[chart.pk] = as_chart(chart)
        made.append(
            _prepare(
                centre=row.centre,
                member=row.member,
                shift=row.shift,
                delivered_at=row.delivered_at,
                reading=row.reading,
                by=by,
                history=(),
                chart=chart,
                plate_count=None,
                limits=limits[day],
                terms=terms[chart.pk] if chart is not None else None,
            )
        )
    accepted = [d for d in made if d.status == Delivery.Status.ACCEPTED]
    if accepted:
        ledger.commission_delivery_lots(organization, accepted)
    Delivery.objects.bulk_create(made)
    return len(made)


def _check_correctable(original: Delivery) -> None:
    if Delivery.objects.filter(corrects=original).exists():
        raise Conflict(detail=_("This delivery was already corrected; correct the latest record."))
    if original.bulk_lot_id:
        raise Conflict(detail=_("This delivery is already in a tank's bulk lot."))
    if _closed_bill_covers(original.member, original.collection_day):
        raise Conflict(detail=_("This member's bill for that day is closed."))


@transaction.atomic
def correct_delivery(
    *, original: Delivery, reading: Reading, reason: str, by: Any, shift: str | None = None
) -> Delivery:
    if not reason.strip():
        raise InvalidInput(
            detail=_("reason: say what was wrong"),
            errors=[FieldError("reason", _("say what was wrong"))],
        )
    return record_delivery(
        centre=original.centre,
        member=original.member,
        shift=shift or original.shift,
        delivered_at=original.delivered_at,
        reading=reading,
        by=by,
        corrects=original,
        correction_reason=reason,
    )


@transaction.atomic
def record_lab_test(
    *,
    organization: Organization,
    sampled_on: date,
    by: Any,
    delivery: Delivery | None = None,
    bulk_lot: BulkLot | None = None,
    plate_count: int | None = None,
    somatic_cells: int | None = None,
    freezing_point: Decimal | None = None,
    protein: Decimal | None = None,
    aflatoxin_m1: Decimal | None = None,
    acidity: Decimal | None = None,
    laboratory: str = "",
) -> LabTest:
    require_collect(by, organization)
    if (delivery is None) == (bulk_lot is None):
        raise InvalidInput(
            detail=_("sample: name a delivery or a bulk lot"),
            errors=[FieldError("delivery_id", _("name a delivery or a bulk lot"))],
        )
    sample = delivery or bulk_lot
    if sample.organization_id != organization.pk:
        raise NotFound(detail=_("No sample matches."))
    errors: list[FieldError] = []
    _check_range(errors, "freezing_point", freezing_point, "-1", "0")
    _check_range(errors, "protein", protein, "0", "10")
    _check_range(errors, "aflatoxin_m1", aflatoxin_m1, "0", "100")
    _check_range(errors, "acidity", acidity, "0", "50")
    _raise(errors)
    flags = checks.lab_flags(
        limits=limits_for(organization, sampled_on),
        plate_count=plate_count,
        somatic_cells=somatic_cells,
        freezing_point=freezing_point,
        protein=protein,
        aflatoxin_m1=aflatoxin_m1,
        acidity=acidity,
    )
    return LabTest.objects.create(
        organization=organization,
        delivery=delivery,
        bulk_lot=bulk_lot,
        member=delivery.member if delivery else None,
        sampled_on=sampled_on,
        plate_count=plate_count,
        somatic_cells=somatic_cells,
        freezing_point=freezing_point,
        protein=protein,
        aflatoxin_m1=aflatoxin_m1,
        acidity=acidity,
        laboratory=laboratory,
        flags=flags,
    )


def require_manager(user: Any, organization: Organization) -> None:
    """Prices and money owed are set by the cooperative's managers (and administrators)."""
    require_write(user, organization)
    if user is SYSTEM:
        return
    if not grants_for(user).role_names(organization.pk) & {Role.Name.ADMIN, Role.Name.MANAGER}:
        raise Forbidden(detail=_("Only the cooperative's managers set prices and deductions."))


@dataclass(frozen=True)
class ChartData:
    """What a rate chart says: its prices, grades and grid, and when it holds."""

    name: str
    base_price: int
    valid_from: date
    valid_to: date | None = None
    processor: Organization | None = None
    centre: Facility | None = None
    solids_grades: Sequence[tuple[Decimal, int]] = ()
    bacteria_grades: Sequence[tuple[int, int]] = ()
    grid: Sequence[tuple[Decimal, Decimal, int]] = ()
    source: str = ""


def _check_chart(organization: Organization, data: ChartData) -> None:
    errors: list[FieldError] = []
    if not data.name.strip():
        errors.append(FieldError("name", _("is required"), data.name))
    if data.base_price <= 0:
        errors.append(FieldError("base_price", _("must be above zero"), data.base_price))
    if data.valid_to is not None and data.valid_to < data.valid_from:
        errors.append(
            FieldError("valid_to", _("must not be before valid from"), str(data.valid_to))
        )
    if data.centre is not None and data.centre.organization_id != organization.pk:
        errors.append(
            FieldError("centre_id", _("is not this cooperative's centre"), data.centre.pk)
        )
    if data.processor is not None and data.processor.kind != Organization.Kind.ENTERPRISE:
        errors.append(FieldError("processor_id", _("must be an enterprise"), data.processor.pk))
    solids = sorted(data.solids_grades)
    if len({g[0] for g in solids}) != len(solids) or any(
        a[1] > b[1] for a, b in zip(solids, solids[1:], strict=False)
    ):
        errors.append(
            FieldError("solids_grades", _("higher total solids must not pay less per kg"))
        )
    bacteria = sorted(data.bacteria_grades)
    if any(g[1] < 0 or g[0] < 0 for g in bacteria) or any(
        a[1] > b[1] for a, b in zip(bacteria, bacteria[1:], strict=False)
    ):
        errors.append(FieldError("bacteria_grades", _("more bacteria must not cost less per kg")))
    cells = sorted(data.grid)
    if len({(c[0], c[1]) for c in cells}) != len(cells) or any(c[2] <= 0 for c in cells):
        errors.append(FieldError("grid", _("each fat and SNF cell once, with a price above zero")))
    _raise(errors)


def _write_grades(chart: RateChart, data: ChartData) -> None:
    SolidsGrade.objects.bulk_create(
        SolidsGrade(chart=chart, min_total_solids=m, adjustment=a)
        for m, a in sorted(data.solids_grades)
    )
    BacteriaGrade.objects.bulk_create(
        BacteriaGrade(chart=chart, above_count=c, penalty=p)
        for c, p in sorted(data.bacteria_grades)
    )
    FatSnfPrice.objects.bulk_create(
        FatSnfPrice(chart=chart, min_fat=f, min_snf=n, price=p) for f, n, p in sorted(data.grid)
    )


@transaction.atomic
def create_rate_chart(
    *,
    organization: Organization,
    name: str,
    base_price: int,
    valid_from: date,
    by: Any,
    valid_to: date | None = None,
    processor: Organization | None = None,
    centre: Facility | None = None,
    solids_grades: Sequence[tuple[Decimal, int]] = (),
    bacteria_grades: Sequence[tuple[int, int]] = (),
    grid: Sequence[tuple[Decimal, Decimal, int]] = (),
    source: str = "",
) -> RateChart:
    """A rate chart; higher total solids may never pay less, nor more bacteria cost less."""
    require_manager(by, organization)
    data = ChartData(
        name=name,
        base_price=base_price,
        valid_from=valid_from,
        valid_to=valid_to,
        processor=processor,
        centre=centre,
        solids_grades=solids_grades,
        bacteria_grades=bacteria_grades,
        grid=grid,
        source=source,
    )
    _check_chart(organization, data)
    chart = RateChart.objects.create(
        organization=organization,
        processor=processor,
        centre=centre,
        name=name,
        base_price=base_price,
        valid_from=valid_from,
        valid_to=valid_to,
        source=source,
    )
    _write_grades(chart, data)
    return chart


def _chart_terms(chart: RateChart) -> tuple:
    return (
        chart.base_price,
        chart.valid_from,
        chart.processor_id,
        chart.centre_id,
        sorted((g.min_total_solids, g.adjustment) for g in chart.solids_grades.all()),
        sorted((g.above_count, g.penalty) for g in chart.bacteria_grades.all()),
        sorted((c.min_fat, c.min_snf, c.price) for c in chart.grid.all()),
    )


@transaction.atomic
def update_rate_chart(*, chart: RateChart, data: ChartData, by: Any) -> RateChart:
    """Change a rate chart. Once a delivery was priced by it, its prices, grades, grid,
    centre and start stay as they were (the deliveries keep the price they were paid): only
    its name, source and end may change, and it may not end before a day it priced."""
    organization = chart.organization
    require_manager(by, organization)
    _check_chart(organization, data)
    priced = Delivery.objects.filter(rate_chart=chart)
    if priced.exists():
        wanted = (
            data.base_price,
            data.valid_from,
            data.processor.pk if data.processor else None,
            data.centre.pk if data.centre else None,
            sorted(data.solids_grades),
            sorted(data.bacteria_grades),
            sorted(data.grid),
        )
        if wanted != _chart_terms(chart):
            raise Conflict(
                detail=_(
                    "Deliveries were priced by this chart: its prices stay as they were."
                    " End it and start a new chart instead."
                )
            )
        last = priced.order_by("-collection_day").values_list("collection_day", flat=True)[0]
        if data.valid_to is not None and data.valid_to < last:
            raise InvalidInput(
                detail=_("valid_to: this chart priced deliveries until %(day)s")
                % {"day": last.strftime("%d/%m/%Y")},
                errors=[
                    FieldError(
                        "valid_to",
                        _("this chart priced deliveries until %(day)s")
                        % {"day": last.strftime("%d/%m/%Y")},
                        str(data.valid_to),
                    )
                ],
            )
    chart.name, chart.base_price, chart.source = data.name, data.base_price, data.source
    chart.valid_from, chart.valid_to = data.valid_from, data.valid_to
    chart.processor, chart.centre = data.processor, data.centre
    chart.save()
    if not priced.exists():
        chart.solids_grades.all().delete()
        chart.bacteria_grades.all().delete()
        chart.grid.all().delete()
        _write_grades(chart, data)
    return chart


def tank_deliveries(centre_ids: Any, first: date, last: date) -> QuerySet[Delivery]:
    """Accepted current deliveries of centres' tanks not yet in a bulk lot, over days."""
    return Delivery.objects.filter(
        centre_id__in=centre_ids,
        collection_day__gte=first,
        collection_day__lte=last,
        status=Delivery.Status.ACCEPTED,
        correction__isnull=True,
        bulk_lot__isnull=True,
        lot__isnull=False,
    ).select_related("lot", "centre", "member")


@transaction.atomic
def make_bulk_lots(
    *, organization: Organization, tanks: Sequence[tuple[Facility, date, str]], by: Any
) -> list[BulkLot]:
    """The bulk lot of each (centre, day, shift) tank from its accepted deliveries."""
    require_collect(by, organization)
    for centre, _day, _shift in tanks:
        if centre.organization_id != organization.pk:
            raise NotFound(detail=_("No collection centre matches."))
    if not tanks:
        return []
    # Two queries for any number of tanks (the demo makes hundreds at once).
    first = min(day for _centre, day, _shift in tanks)
    last = max(day for _centre, day, _shift in tanks)
    centre_ids = {centre.pk for centre, _day, _shift in tanks}
    in_tanks: dict[tuple[int, date, str], list[Delivery]] = {
        (centre.pk, day, shift): [] for centre, day, shift in tanks
    }
    existing = BulkLot.objects.filter(
        centre_id__in=centre_ids, collection_day__gte=first, collection_day__lte=last
    ).values_list("centre_id", "collection_day", "shift")
    if set(in_tanks) & set(existing):
        raise Conflict(detail=_("This tank's bulk lot for that shift is already made."))
    rows = (
        tank_deliveries(centre_ids, first, last)
        .select_related(None)
        .select_related("lot")
        .only("centre_id", "collection_day", "shift", "quantity_kg", "delivered_at", "lot__epc")
        .order_by("delivered_at", "pk")
    )
    for delivery in rows:
        key = (delivery.centre_id, delivery.collection_day, delivery.shift)
        if key in in_tanks:
            in_tanks[key].append(delivery)
    plans = []
    for centre, day, shift in tanks:
        deliveries = in_tanks[(centre.pk, day, shift)]
        if not deliveries:
            raise InvalidInput(
                detail=_("No accepted delivery in this tank for that shift."),
                errors=[FieldError("shift", _("no accepted delivery"), shift)],
            )
        plans.append((centre, deliveries))
    made = ledger.bulk_lot_events(organization, plans)
    bulk_lots = []
    for (centre, day, shift), (_centre, deliveries), (lot_id, _uri) in zip(
        tanks, plans, made, strict=True
    ):
        bulk_lot = BulkLot.objects.create(
            organization=organization,
            centre=centre,
            collection_day=day,
            shift=shift,
            quantity_kg=sum(d.quantity_kg for d in deliveries),
            lot_id=lot_id,
        )
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(bulk_lot=bulk_lot)
        bulk_lots.append(bulk_lot)
    return bulk_lots


@transaction.atomic
def ship_bulk_lots(
    *,
    bulk_lots: Sequence[BulkLot],
    processor: Organization,
    shipped_at: datetime,
    by: Any,
) -> None:
    if not bulk_lots:
        return
    require_collect(by, bulk_lots[0].organization)
    if processor.kind != Organization.Kind.ENTERPRISE:
        raise InvalidInput(
            detail=_("processor_id: must be an enterprise"),
            errors=[FieldError("processor_id", _("must be an enterprise"), processor.pk)],
        )
    for bulk_lot in bulk_lots:
        if bulk_lot.shipped_at is not None:
            raise Conflict(detail=_("This bulk lot was already shipped."))
        bulk_lot.processor = processor
        bulk_lot.shipped_at = shipped_at
    ledger.shipping_events(bulk_lots, processor)
    BulkLot.objects.bulk_update(bulk_lots, ["processor", "shipped_at"])


@transaction.atomic
def record_tank_readings(
    *, centre: Facility, readings: Sequence[tuple[datetime, Decimal]], by: Any
) -> int:
    """Store a tank's temperatures (a logger's file or a sensor's post); repeats are kept
    once. Returns how many were new."""
    require_collect(by, centre.organization)
    errors: list[FieldError] = []
    for row, (moment, temperature) in enumerate(readings):
        if timezone.is_naive(moment):
            errors.append(FieldError("measured_at", _("needs a time zone"), str(moment), row))
        if not Decimal(-10) <= temperature <= Decimal(50):
            errors.append(
                FieldError("temperature", _("must be between -10 and 50"), str(temperature), row)
            )
    _raise(errors)
    before = TankReading.objects.filter(centre=centre).count()
    TankReading.objects.bulk_create(
        [
            TankReading(
                organization_id=centre.organization_id,
                centre=centre,
                measured_at=m,
                temperature=t,
            )
            for m, t in readings
        ],
        ignore_conflicts=True,
    )
    return TankReading.objects.filter(centre=centre).count() - before


def parse_decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None


@transaction.atomic
def add_deduction(
    *, member: Member, on: date, kind: str, amount: int, by: Any, note: str = ""
) -> Deduction:
    require_manager(by, member.organization)
    if kind not in Deduction.Kind.values:
        raise InvalidInput(
            detail=_("kind: must be feed, advance or fee"),
            errors=[FieldError("kind", _("must be feed, advance or fee"), kind)],
        )
    if amount <= 0:
        raise InvalidInput(
            detail=_("amount: must be above zero"),
            errors=[FieldError("amount", _("must be above zero"), amount)],
        )
    if _closed_bill_covers(member, on):
        raise Conflict(detail=_("This member's bill for that day is closed."))
    return Deduction.objects.create(
        organization=member.organization, member=member, on=on, kind=kind, amount=amount, note=note
    )


def _delete_open_bills(bills: QuerySet[MilkBill]) -> None:
    """Delete a period's open bills in one statement, refused while any record of another
    part of the platform points at one of them (what the ORM's delete would check one bill at
    a time, collecting 30,000 bills to do it)."""
    relations = [
        f
        for f in MilkBill._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]
    for relation in relations:
        referring = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": bills.values("pk")}
        )
        if referring.exists():
            raise Conflict(detail=_("A bill of this period is already used elsewhere."))
    sql, params = bills.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(MilkBill._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)  # noqa: S608 - model table name


@transaction.atomic
def generate_bills(
    *, organization: Organization, start: date, end: date, by: Any
) -> QuerySet[MilkBill]:
    """Each member's bill for the period from their current deliveries and deductions.

    Idempotent: running it again rebuilds the open bills from the same records, so the same
    records give the same bill. A closed period is refused. The database sums and writes the
    bills in one statement (30,000 farmers' bills in about a second), and no line is
    written: a bill's lines are read back from its records (`selectors.bill_lines`).
    Returns the period's bills, to be read when needed.
    """
    require_write(by, organization)
    if end < start or (end - start).days > 31:
        raise InvalidInput(
            detail=_("period: the end must follow the start, at most a month later"),
            errors=[FieldError("end", _("at most a month after the start"), str(end))],
        )
    existing = MilkBill.objects.filter(
        organization=organization, period_start=start, period_end=end
    )
    if existing.filter(closed=True).exists():
        raise Conflict(detail=_("The bills of this period are closed."))
    _delete_open_bills(existing)
    deliveries, deductions = selectors.bill_sums(organization, start, end)
    first, first_params = deliveries.query.sql_with_params()
    second, second_params = deductions.query.sql_with_params()
    ops = connection.ops
    fixed = [
        organization.pk,
        ops.adapt_datefield_value(start),
        ops.adapt_datefield_value(end),
        False,
        ops.adapt_datetimefield_value(timezone.now()),
    ]
    table = connection.ops.quote_name(MilkBill._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, period_start, period_end, closed, created_at,"  # noqa: S608 - model table name
            " member_id, delivery_count, quantity_kg, gross, deductions, net)"
            " SELECT %s, %s, %s, %s, %s, member_id, SUM(paid), SUM(kg), SUM(gross), SUM(owed),"
            f" SUM(gross) - SUM(owed) FROM ({first} UNION ALL {second}) sums GROUP BY member_id",
            [*fixed, *first_params, *second_params],
        )
    return existing.order_by("member_id")


@transaction.atomic
def close_bills(*, organization: Organization, start: date, end: date, by: Any) -> int:
    """Close a period: its bills, deliveries and deductions can no longer change."""
    require_write(by, organization)
    return MilkBill.objects.filter(
        organization=organization, period_start=start, period_end=end, closed=False
    ).update(closed=True)


@transaction.atomic
def record_herd(*, member: Member, on: date, cows: int, by: Any) -> HerdRecord:
    """How many cows a member's farm has from `on`; a second record for the same day
    replaces the first."""
    require_write(by, member.organization)
    if not 0 <= cows <= 100_000:
        raise InvalidInput(
            detail=_("cows: must be between 0 and 100000"),
            errors=[FieldError("cows", _("must be between 0 and 100000"), cows)],
        )
    record, _created = HerdRecord.objects.update_or_create(
        member=member, on=on, defaults={"organization": member.organization, "cows": cows}
    )
    return record


LOGGER_COLUMNS = ("timestamp", "temperature")


def parse_logger_csv(text: str) -> list[tuple[datetime, Decimal]]:
    """A cooling-tank logger's CSV (a `timestamp,temperature` header, ISO 8601 times; a time
    without a zone is the cooperative's local time). Every bad row is reported with its row
    number (the header is row 1), column and reason."""
    import csv
    import io

    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header[:2]) != LOGGER_COLUMNS:
        raise InvalidInput(
            detail=_("file: the first line must be timestamp,temperature"),
            errors=[
                FieldError(
                    "file", _("the first line must be timestamp,temperature"), ",".join(header), 1
                )
            ],
        )
    readings: list[tuple[datetime, Decimal]] = []
    errors: list[FieldError] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", ""][:2]
        try:
            moment = datetime.fromisoformat(cells[0].strip())
        except ValueError:
            errors.append(FieldError("timestamp", _("is not a date and time"), cells[0], number))
            continue
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        temperature = parse_decimal(cells[1].strip())
        if temperature is None:
            errors.append(FieldError("temperature", _("is not a number"), cells[1], number))
            continue
        if not Decimal(-10) <= temperature <= Decimal(50):
            errors.append(
                FieldError("temperature", _("must be between -10 and 50"), cells[1], number)
            )
            continue
        readings.append((moment, temperature))
    _raise(errors)
    return readings


@transaction.atomic
def import_tank_log(*, centre: Facility, text: str, by: Any) -> int:
    """A logger's file for a tank, all or nothing; importing it again adds nothing.
    Returns how many readings were new."""
    require_collect(by, centre.organization)
    readings = parse_logger_csv(text)
    return record_tank_readings(centre=centre, readings=readings, by=by)
