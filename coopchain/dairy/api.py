"""Milk collection through /api/v1/dairy/: deliveries (recorded and corrected, never edited),
lab tests, rate charts, bulk lots and their shipment, tank readings, and milk bills."""

from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, UploadedFile
from ninja.pagination import paginate

from coopchain.dairy import checks, selectors, services
from coopchain.dairy.models import BulkLot, Delivery, MilkBill, RateChart
from coopchain.dairy.schemas import (
    BillOut,
    BillsIn,
    BulkLotIn,
    BulkLotOut,
    CorrectionIn,
    DeliveryIn,
    DeliveryOut,
    FarmSizeOut,
    HerdRecordIn,
    HerdRecordOut,
    LabTestIn,
    LabTestOut,
    RateChartIn,
    RateChartOut,
    ReadingIn,
    ShipmentIn,
    TankReadingsIn,
    TankReadingsOut,
)
from coopchain.errors import NotFound
from coopchain.parties.api import Pages
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import get_scoped, scope

router = Router(tags=["dairy"])


def _flags(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {"code": f["code"], "severity": f["severity"], "message": checks.message(f)} for f in items
    ]


def _delivery_out(d: Delivery) -> dict[str, Any]:
    correction = Delivery.objects.filter(corrects=d).values_list("pk", flat=True).first()
    return {
        **{f: getattr(d, f) for f in DeliveryOut.model_fields if hasattr(d, f) and f != "flags"},
        "facility_id": d.centre_id,
        "member_code": d.member.code,
        "flags": _flags(d.flags),
        "corrected_by_id": correction,
        "lot_epc": d.lot.epc if d.lot_id else None,
    }


def _reading(payload: ReadingIn) -> services.Reading:
    return services.Reading(
        quantity=payload.quantity,
        unit=payload.unit,
        fat=payload.fat,
        snf=payload.snf,
        density=payload.density,
        lactometer=payload.lactometer,
        temperature=payload.temperature,
        chilled=payload.chilled,
        antibiotic=payload.antibiotic,
        rejection_reason=payload.rejection_reason,
    )


@router.get("/dairy/deliveries", response=list[DeliveryOut])
@paginate(Pages)
def list_deliveries(request: HttpRequest, member_id: int | None = None, day: date | None = None):
    rows = selectors.deliveries(request.user).select_related("lot")
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
    if day is not None:
        rows = rows.filter(collection_day=day)
    return [_delivery_out(d) for d in rows[:2000]]


@router.post("/dairy/deliveries", response={201: DeliveryOut})
def record_delivery(request: HttpRequest, payload: DeliveryIn):
    centre = get_scoped(Facility.objects.all(), request.user, pk=payload.facility_id)
    member = get_scoped(Member.objects.all(), request.user, pk=payload.member_id)
    delivery = services.record_delivery(
        centre=centre,
        member=member,
        shift=payload.shift,
        delivered_at=payload.delivered_at or timezone.now(),
        reading=_reading(payload),
        by=request.user,
    )
    return 201, _delivery_out(delivery)


@router.get("/dairy/deliveries/{delivery_id}", response=DeliveryOut)
def get_delivery(request: HttpRequest, delivery_id: int):
    return _delivery_out(
        get_scoped(selectors.deliveries(request.user), request.user, pk=delivery_id)
    )


@router.post("/dairy/deliveries/{delivery_id}/corrections", response={201: DeliveryOut})
def correct_delivery(request: HttpRequest, delivery_id: int, payload: CorrectionIn):
    original = get_scoped(Delivery.objects.all(), request.user, pk=delivery_id)
    fixed = services.correct_delivery(
        original=original, reading=_reading(payload), reason=payload.reason, by=request.user
    )
    return 201, _delivery_out(fixed)


@router.post("/dairy/lab-tests", response={201: LabTestOut})
def record_lab_test(request: HttpRequest, payload: LabTestIn):
    delivery = (
        get_scoped(Delivery.objects.all(), request.user, pk=payload.delivery_id)
        if payload.delivery_id
        else None
    )
    bulk_lot = (
        get_scoped(BulkLot.objects.all(), request.user, pk=payload.bulk_lot_id)
        if payload.bulk_lot_id
        else None
    )
    sample = delivery or bulk_lot
    test = services.record_lab_test(
        organization=sample.organization if sample else Organization(),
        delivery=delivery,
        bulk_lot=bulk_lot,
        sampled_on=payload.sampled_on,
        plate_count=payload.plate_count,
        somatic_cells=payload.somatic_cells,
        freezing_point=payload.freezing_point,
        protein=payload.protein,
        aflatoxin_m1=payload.aflatoxin_m1,
        acidity=payload.acidity,
        laboratory=payload.laboratory,
        by=request.user,
    )
    return 201, {
        "id": test.pk,
        "delivery_id": test.delivery_id,
        "bulk_lot_id": test.bulk_lot_id,
        "sampled_on": test.sampled_on,
        "flags": _flags(test.flags),
    }


def _chart_out(chart: RateChart) -> dict[str, Any]:
    return {
        **{f: getattr(chart, f) for f in RateChartOut.model_fields if hasattr(chart, f)},
        "solids_grades": [(g.min_total_solids, g.adjustment) for g in chart.solids_grades.all()],
        "bacteria_grades": [(g.above_count, g.penalty) for g in chart.bacteria_grades.all()],
        "grid": [(c.min_fat, c.min_snf, c.price) for c in chart.grid.all()],
    }


@router.get("/dairy/rate-charts", response=list[RateChartOut])
@paginate(Pages)
def list_rate_charts(request: HttpRequest):
    rows = scope(RateChart.objects.all(), request.user).prefetch_related(
        "solids_grades", "bacteria_grades", "grid"
    )
    return [_chart_out(c) for c in rows]


def _chart_data(request: HttpRequest, payload: RateChartIn) -> services.ChartData:
    centre = (
        get_scoped(Facility.objects.all(), request.user, pk=payload.centre_id)
        if payload.centre_id
        else None
    )
    processor = (
        Organization.objects.filter(
            pk=payload.processor_id, kind=Organization.Kind.ENTERPRISE
        ).first()
        if payload.processor_id
        else None
    )
    return services.ChartData(
        name=payload.name,
        base_price=payload.base_price,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        processor=processor,
        centre=centre,
        solids_grades=payload.solids_grades,
        bacteria_grades=payload.bacteria_grades,
        grid=payload.grid,
        source=payload.source,
    )


@router.post("/dairy/rate-charts", response={201: RateChartOut})
def create_rate_chart(request: HttpRequest, payload: RateChartIn):
    """A rate chart by total-solids grades or by a fat × SNF grid, with its validity dates."""
    organization = get_scoped(Organization.objects.all(), request.user, pk=payload.organization_id)
    data = _chart_data(request, payload)
    chart = services.create_rate_chart(
        organization=organization,
        by=request.user,
        **{f.name: getattr(data, f.name) for f in fields(data)},
    )
    return 201, _chart_out(chart)


@router.get("/dairy/rate-charts/{chart_id}", response=RateChartOut)
def get_rate_chart(request: HttpRequest, chart_id: int):
    return _chart_out(get_scoped(RateChart.objects.all(), request.user, pk=chart_id))


@router.put("/dairy/rate-charts/{chart_id}", response=RateChartOut)
def update_rate_chart(request: HttpRequest, chart_id: int, payload: RateChartIn):
    """Change a chart; once it priced deliveries only its name, source and end may change."""
    chart = get_scoped(RateChart.objects.select_related("organization"), request.user, pk=chart_id)
    if payload.organization_id != chart.organization_id:
        raise NotFound(detail=_("No rate chart matches."))
    chart = services.update_rate_chart(
        chart=chart, data=_chart_data(request, payload), by=request.user
    )
    return _chart_out(chart)


def _bulk_out(bulk: BulkLot) -> dict[str, Any]:
    return {
        **{f: getattr(bulk, f) for f in BulkLotOut.model_fields if hasattr(bulk, f)},
        "facility_id": bulk.centre_id,
        "lot_epc": bulk.lot.epc,
        "delivery_ids": list(bulk.deliveries.values_list("pk", flat=True)),
    }


@router.get("/dairy/bulk-lots", response=list[BulkLotOut])
@paginate(Pages)
def list_bulk_lots(request: HttpRequest):
    return [_bulk_out(b) for b in selectors.bulk_lots(request.user)[:500]]


@router.post("/dairy/bulk-lots", response={201: BulkLotOut})
def make_bulk_lot(request: HttpRequest, payload: BulkLotIn):
    centre = get_scoped(Facility.objects.all(), request.user, pk=payload.facility_id)
    [bulk] = services.make_bulk_lots(
        organization=centre.organization,
        tanks=[(centre, payload.collection_day, payload.shift)],
        by=request.user,
    )
    return 201, _bulk_out(bulk)


@router.get("/dairy/bulk-lots/{bulk_lot_id}", response=BulkLotOut)
def get_bulk_lot(request: HttpRequest, bulk_lot_id: int):
    return _bulk_out(get_scoped(selectors.bulk_lots(request.user), request.user, pk=bulk_lot_id))


@router.post("/dairy/bulk-lots/{bulk_lot_id}/shipment", response=BulkLotOut)
def ship_bulk_lot(request: HttpRequest, bulk_lot_id: int, payload: ShipmentIn):
    bulk = get_scoped(BulkLot.objects.all(), request.user, pk=bulk_lot_id)
    services.require_collect(request.user, bulk.organization)
    processor = Organization.objects.filter(
        pk=payload.processor_id, kind=Organization.Kind.ENTERPRISE
    ).first()
    if processor is None:
        raise NotFound(detail="No processor matches.")
    services.ship_bulk_lots(
        bulk_lots=[bulk],
        processor=processor,
        shipped_at=payload.shipped_at or timezone.now(),
        by=request.user,
    )
    return _bulk_out(bulk)


@router.post("/dairy/facilities/{facility_id}/tank-readings", response={201: TankReadingsOut})
def post_tank_readings(request: HttpRequest, facility_id: int, payload: TankReadingsIn):
    centre = get_scoped(Facility.objects.all(), request.user, pk=facility_id)
    stored = services.record_tank_readings(
        centre=centre,
        readings=[(r.measured_at, r.temperature) for r in payload.readings],
        by=request.user,
    )
    return 201, {"stored": stored}


@router.post("/dairy/facilities/{facility_id}/tank-log", response={201: TankReadingsOut})
def post_tank_log(request: HttpRequest, facility_id: int, file: File[UploadedFile]):
    """A cooling-tank logger's CSV file (timestamp,temperature)."""
    centre = get_scoped(Facility.objects.all(), request.user, pk=facility_id)
    text = file.read().decode("utf-8", errors="replace")
    return 201, {"stored": services.import_tank_log(centre=centre, text=text, by=request.user)}


def _bills_out(bills: list[MilkBill]) -> list[dict[str, Any]]:
    lines = selectors.bill_lines(bills)
    members = Member.objects.filter(organization_id__in={b.organization_id for b in bills})
    codes = dict(members.values_list("pk", "code"))
    return [
        {
            **{f: getattr(b, f) for f in BillOut.model_fields if hasattr(b, f) and f != "lines"},
            "member_code": codes[b.member_id],
            "lines": lines[b.pk],
        }
        for b in bills
    ]


@router.get("/dairy/bills", response=list[BillOut])
@paginate(Pages)
def list_bills(request: HttpRequest, start: date | None = None, end: date | None = None):
    rows = selectors.bills(request.user)
    if start is not None:
        rows = rows.filter(period_start=start)
    if end is not None:
        rows = rows.filter(period_end=end)
    return _bills_out(list(rows[:1000]))


@router.post("/dairy/bills", response={201: list[BillOut]})
def generate_bills(request: HttpRequest, payload: BillsIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=payload.organization_id)
    made = services.generate_bills(
        organization=organization, start=payload.start, end=payload.end, by=request.user
    )
    return 201, _bills_out(list(made))


@router.get("/dairy/bills/{bill_id}", response=BillOut)
def get_bill(request: HttpRequest, bill_id: int):
    return _bills_out([get_scoped(selectors.bills(request.user), request.user, pk=bill_id)])[0]


@router.post("/dairy/herd-records", response={201: HerdRecordOut})
def post_herd_record(request: HttpRequest, payload: HerdRecordIn):
    member = get_scoped(Member.objects.all(), request.user, pk=payload.member_id)
    record = services.record_herd(member=member, on=payload.on, cows=payload.cows, by=request.user)
    return 201, record


@router.get("/dairy/organizations/{organization_id}/farm-sizes", response=list[FarmSizeOut])
def farm_sizes(
    request: HttpRequest, organization_id: int, start: date | None = None, end: date | None = None
):
    """The share of accepted milk by farm size class; by default over the last 30 days."""
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    end = end or timezone.localdate()
    start = start or end - timedelta(days=29)
    return selectors.milk_by_farm_size(
        request.user, organization=organization, start=start, end=end
    )
