"""Compliance demo data: the Ea Tul coffee that Cà phê Ban Mê exports in two containers — one
clean, one mixing a plot expanded into forest in 2022 and a field registered by two
cooperatives — with land-use histories, satellite risk results, a 4C and a Rainforest
Alliance certificate; VietGAP audits of the Phú Thọ vegetable households; the cinnamon
cooperative's EU-organic certificate; and an exporter staff user to prepare statements.

Idempotent: each container is keyed by its SSCC, certificates by number, audits by household
and date, and nothing is written twice.
"""

import io
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TextIO

from django.db.models import Min
from django.utils import timezone

from coopchain.compliance import services
from coopchain.compliance.models import (
    Audit,
    AuditAnswer,
    Certificate,
    Checklist,
    LandUseRecord,
    Standard,
)
from coopchain.diary import services as diary
from coopchain.diary.harvests import plot_location_uri
from coopchain.diary.models import Activity
from coopchain.land import services as land
from coopchain.land.models import Crop, Plot
from coopchain.lib import gs1
from coopchain.parties.demo import (
    CINNAMON,
    COFFEE,
    DAK_LIENG,
    EXPORTER,
    ORGANIZATION_PLANS,
    VEGETABLES,
)
from coopchain.parties.models import Member, Organization, Role
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier, organization_uri
from coopchain.trace.models import Lot

EXPORTER_STAFF = "exporter_staff"  # a demo user of coopchain.parties.demo
# SSCC bodies (extension digit, company prefix, serial), without their check digit.
CLEAN_CONTAINER = "08934567000002511"
FOREST_CONTAINER = "08934567000002512"
HARVESTED_ON = date(2025, 11, 24)
SHIPPED_ON = date(2026, 1, 12)
TMF = "JRC Tropical Moist Forest, annual change 2024"
# A coffee garden around a farm pond: the plot is a ring (declared as such to the land app).
RING_CODE = "ET-EUDR-AO"
FOREST_CODE = "ET-EUDR-RUNG"
TWIN_CODE = "DL-EUDR-TRUNG"


def _org(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


def _writer(organization: Organization) -> Any:
    role = (
        Role.objects.filter(
            organization=organization, name__in=[Role.Name.MANAGER, Role.Name.STAFF]
        )
        .select_related("user")
        .order_by("name", "pk")
        .first()
    )
    return role.user if role else SYSTEM


def _sscc(body: str) -> str:
    return gs1.sscc_link(body + gs1.check_digit(body))


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load_compliance_demo(*, stdout: TextIO | None = None) -> dict[str, int]:
    """Load the compliance demo (see the module docstring); returns what this run added."""
    created: dict[str, int] = {}
    coffee, exporter = _org(COFFEE), _org(EXPORTER)
    if coffee is not None and exporter is not None:
        _containers(coffee, exporter, created)
        _coffee_certificates(coffee, created)
    cinnamon = _org(CINNAMON)
    if cinnamon is not None:
        _organic(cinnamon, created)
    vegetables = _org(VEGETABLES)
    if vegetables is not None:
        _vietgap(vegetables, created)
    if stdout is not None:
        stdout.write(f"Compliance: {sum(created.values())} records added\n")
    return created


def _count(created: dict[str, int], kind: str, n: int = 1) -> None:
    created[kind] = created.get(kind, 0) + n


def _ring(lon: float, lat: float) -> dict[str, Any]:
    outer = [[0, 0], [0.0026, 0], [0.0026, 0.0024], [0, 0.0024], [0, 0]]
    pond = [
        [0.0009, 0.0008],
        [0.0009, 0.0015],
        [0.0017, 0.0015],
        [0.0017, 0.0008],
        [0.0009, 0.0008],
    ]
    return {
        "type": "Polygon",
        "coordinates": [
            [[round(lon + x, 6), round(lat + y, 6)] for x, y in ring] for ring in (outer, pond)
        ],
    }


def _square(lon: float, lat: float, side: float = 0.0021) -> dict[str, Any]:
    corners = [
        [0, 0],
        [side + 0.000137, 0.000103],
        [side + 0.000041, side - 0.000029],
        [0.000213, side + 0.000077],
        [0, 0],
    ]
    return {
        "type": "Polygon",
        "coordinates": [[[round(lon + x, 6), round(lat + y, 6)] for x, y in corners]],
    }


def _extra_plot(member: Member, code: str, geometry: dict[str, Any], by: Any, created) -> Plot:
    plot = Plot.objects.filter(organization=member.organization, code=code).first()
    if plot is not None:
        return plot
    plot = land.create_plot(
        organization=member.organization,
        data=land.PlotData(
            code=code,
            member_code=member.code,
            geometry=geometry,
            name="Rẫy cà phê mở rộng" if code == FOREST_CODE else "Rẫy cà phê",
            land_certificate_ref="CS 482913" if code != FOREST_CODE else "",
            planting_area_code="VN-DLK-ET-0021",
        ),
        by=by,
    )
    land.add_crop(
        plot=plot, crop=Crop.objects.get(code="coffee-robusta"), by=by, planting_year=2009
    )
    _count(created, "plots")
    return plot


def _history(plot: Plot, steps: list[tuple[date, str, bool, str]], by: Any, created) -> None:
    if LandUseRecord.objects.filter(plot=plot).exists():
        return
    for since, use, cleared, source in steps:
        services.record_land_use(
            plot=plot,
            since=since,
            use=use,
            source=source,
            cleared_forest=cleared,
            cleared_area_ha=Decimal("0.9") if cleared else None,
            note="Mở rộng rẫy vào rừng khộp năm 2022" if cleared else "",
            by=by,
        )
        _count(created, "land-use records")


def _harvest(plot: Plot, by: Any) -> Lot:
    entry = (
        Activity.objects.current()
        .filter(kind=Activity.Kind.HARVEST, plot_links__plot=plot, performed_on=HARVESTED_ON)
        .first()
    )
    if entry is None:
        entry = diary.record_activity(
            organization=plot.organization,
            data=diary.ActivityData(
                kind=Activity.Kind.HARVEST,
                performed_on=HARVESTED_ON,
                plot_ids=(plot.pk,),
                crop_code="coffee-robusta",
                harvest_quantity=(plot.area_ha * Decimal("3200")).quantize(Decimal(1)),
                harvest_unit="KGM",
                notes="Hái chín",
            ),
            by=by,
        )
    return entry.lot


def _partner_harvest(plot: Plot) -> Lot:
    """Đắk Liêng keeps its diary elsewhere and sends the harvest as an EPCIS event."""
    location = plot_location_uri(plot)
    existing = Lot.objects.filter(origin_location=location).first()
    if existing is not None:
        return existing
    uri = issue_platform_lot_identifier()
    event = ledger.commissioning_event(
        item=ledger.Quantity(uri, Decimal("5400")),
        event_time=_at(HARVESTED_ON, 15),
        location=location,
        harvest_started_on=HARVESTED_ON,
        ilmd={"cbvmda:countryOfOrigin": "VN"},
    )
    return ledger.record_event(
        organization=plot.organization, event=event, harvested_by=plot.member
    ).lots[uri]


def _green(coffee: Organization, lots: list[Lot], by: Any) -> Lot:
    output = issue_platform_lot_identifier()
    total = sum((lot.quantity or Decimal(0) for lot in lots), Decimal(0))
    event = ledger.transformation_event(
        inputs=[ledger.Quantity(lot.epc, lot.quantity) for lot in lots],
        outputs=[ledger.Quantity(output, (total * Decimal("0.2")).quantize(Decimal(1)))],
        event_time=_at(date(2025, 12, 15)),
        biz_step="commissioning",
    )
    return ledger.record_event(organization=coffee, event=event, by=by).lots[output]


def _container(exporter: Organization, body: str, lots: list[Lot], coffee: Organization) -> Lot:
    parent = _sscc(body)
    event = ledger.aggregation_event(
        parent=parent,
        children=[ledger.Quantity(lot.epc, lot.quantity) for lot in lots],
        event_time=_at(SHIPPED_ON),
    )
    shipped = ledger.shipping_event(
        items=[parent], event_time=_at(SHIPPED_ON, 16), source_party=organization_uri(exporter)
    )
    result = ledger.record_events(organization=exporter, events=[event, shipped])
    return result.lots[parent]


def _containers(coffee: Organization, exporter: Organization, created: dict[str, int]) -> None:
    if Lot.objects.filter(epc=_sscc(CLEAN_CONTAINER)).exists():
        return
    by = _writer(coffee)
    members = list(Member.objects.filter(organization=coffee).order_by("code")[20:32])
    plots = []
    for member in members:
        plot = (
            Plot.objects.filter(
                member=member, shape=Plot.Shape.POLYGON, crops__crop__code="coffee-robusta"
            )
            .order_by("code")
            .first()
        )
        if plot is not None:
            plots.append(plot)
    if len(plots) < 6:
        return
    ring_owner, forest_owner = members[0], members[1]
    # South-west of the cooperative's mapped block, clear of every plot in it.
    corner = Plot.objects.filter(organization=coffee).aggregate(
        lon=Min("bbox_min_lon"), lat=Min("bbox_min_lat")
    )
    lon, lat = corner["lon"] - 0.004, corner["lat"] - 0.004
    ring = _extra_plot(ring_owner, RING_CODE, _ring(lon, lat), by, created)
    forest = _extra_plot(forest_owner, FOREST_CODE, _square(lon, lat - 0.004), by, created)
    clean = [*plots[:5], ring]
    mixed = [*plots[5:9], forest]
    good = LandUseRecord.Use.PERENNIAL_CROP
    for plot in {p.pk: p for p in clean + mixed}.values():
        if plot.pk == forest.pk:
            _history(
                plot,
                [
                    (
                        date(2005, 1, 1),
                        LandUseRecord.Use.NATURAL_FOREST,
                        False,
                        LandUseRecord.Source.IMAGERY,
                    ),
                    (date(2022, 3, 1), good, True, LandUseRecord.Source.IMAGERY),
                ],
                by,
                created,
            )
        else:
            _history(
                plot,
                [(date(2009, 5, 1), good, False, LandUseRecord.Source.LAND_CERTIFICATE)],
                by,
                created,
            )
    rows = ["plot_code,risk,source,assessed_on,note"]
    rows += [f"{p.code},low,{TMF},2025-10-15," for p in clean + plots[5:9]]
    rows.append(f"{FOREST_CODE},high,{TMF},2025-10-15,Mất rừng 0.9 ha năm 2022")
    services.import_risk_results(
        organization=coffee,
        file=io.BytesIO("\n".join(rows).encode()),
        filename="tmf-2025.csv",
        by=by,
    )
    # The same field, registered by a household with both cooperatives.
    twin_lot = None
    dak_lieng = _org(DAK_LIENG)
    twin_member = (
        Member.objects.filter(organization=dak_lieng).order_by("code").first()
        if dak_lieng
        else None
    )
    if twin_member is not None:
        twin = _extra_plot(twin_member, TWIN_CODE, plots[6].geometry, SYSTEM, created)
        _history(
            twin, [(date(2009, 5, 1), good, False, LandUseRecord.Source.MEMBER)], SYSTEM, created
        )
        twin_lot = _partner_harvest(twin)
    clean_green = _green(coffee, [_harvest(p, by) for p in clean], by)
    mixed_lots = [_harvest(p, by) for p in mixed]
    mixed_green = _green(coffee, mixed_lots, by)
    _container(exporter, CLEAN_CONTAINER, [clean_green], coffee)
    _container(exporter, FOREST_CONTAINER, [mixed_green, *([twin_lot] if twin_lot else [])], coffee)
    _count(created, "containers", 2)


def _certificate(
    organization: Organization, data: services.CertificateData, created
) -> Certificate:
    existing = Certificate.objects.filter(
        organization=organization, standard=data.standard, number=data.number
    ).first()
    if existing is not None:
        return existing
    _count(created, "certificates")
    return services.create_certificate(
        organization=organization, data=data, by=_writer(organization)
    )


def _coffee_certificates(coffee: Organization, created: dict[str, int]) -> None:
    plots = list(
        Plot.objects.filter(organization=coffee, crops__crop__code="coffee-robusta")
        .distinct()
        .order_by("code")
    )
    four_c = _certificate(
        coffee,
        services.CertificateData(
            standard=Standard.FOUR_C,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number="4C-C-2024-0417",
            certifier_name="Công ty Cổ phần Chứng nhận Nông sản An Tâm",
            valid_from=date(2024, 3, 1),
            valid_to=date(2027, 2, 28),
            plot_ids=tuple(p.pk for p in plots if p.code != FOREST_CODE),
            crop_codes=("coffee-robusta",),
        ),
        created,
    )
    _certificate(
        coffee,
        services.CertificateData(
            standard=Standard.RAINFOREST,
            holder_kind=Certificate.Holder.PLOT_GROUP,
            group_name="Nhóm hộ cà phê bền vững buôn Tul",
            number="RA-CERT-VN-2025-0088",
            certifier_name="Công ty Cổ phần Chứng nhận Nông sản An Tâm",
            valid_from=date(2025, 1, 15),
            valid_to=date(2026, 12, 31),
            plot_ids=tuple(p.pk for p in plots[:40] if p.code != FOREST_CODE),
            crop_codes=("coffee-robusta",),
        ),
        created,
    )
    if not four_c.evidence.exists():
        services.add_evidence(
            organization=coffee,
            upload=services.Upload("4C-C-2024-0417.pdf", _pdf("4C-C-2024-0417")),
            description="Bản scan chứng nhận 4C",
            certificate=four_c,
            by=_writer(coffee),
        )


def _pdf(title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, f"Certificate {title} (demo scan)")
    return bytes(pdf.output())


def _organic(cinnamon: Organization, created: dict[str, int]) -> None:
    plots = Plot.objects.filter(organization=cinnamon, crops__crop__code="cinnamon").distinct()
    _certificate(
        cinnamon,
        services.CertificateData(
            standard=Standard.ORGANIC_EU,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number="VN-BIO-154-2025-0211",
            certifier_name="Tổ chức kiểm soát hữu cơ được EU công nhận (demo)",
            valid_from=date(2025, 6, 1),
            valid_to=date(2026, 12, 20),
            plot_ids=tuple(plots.values_list("pk", flat=True)),
            crop_codes=("cinnamon",),
        ),
        created,
    )


def _vietgap(vegetables: Organization, created: dict[str, int]) -> None:
    by = _writer(vegetables)
    checklist = Checklist.objects.filter(code="vietgap-crop-2017").first()
    if checklist is None:
        return
    plots = list(
        Plot.objects.filter(organization=vegetables)
        .select_related("member")
        .order_by("member__code", "code")
    )
    _certificate(
        vegetables,
        services.CertificateData(
            standard=Standard.VIETGAP,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number="VietGAP-TT-25-0318",
            certifier_name="Công ty Cổ phần Chứng nhận Nông sản An Tâm",
            valid_from=date(2024, 4, 10),
            valid_to=date(2027, 4, 9),
            plot_ids=tuple(p.pk for p in plots),
        ),
        created,
    )
    households = list({p.member_id: p.member for p in plots}.values())[:3]
    points = list(checklist.points.all())
    for index, member in enumerate(households):
        audited_on = date(2025, 10, 6 + index * 3)
        if Audit.objects.filter(
            organization=vegetables, member=member, audited_on=audited_on
        ).exists():
            continue
        audit = services.start_audit(
            organization=vegetables,
            checklist=checklist,
            member=member,
            audited_on=audited_on,
            auditor_name="Nguyễn Thị Hồng (kiểm soát nội bộ)",
            by=by,
        )
        _count(created, "audits")
        findings = {"4.2": "Sổ ghi chép phun thuốc thiếu 2 lần phun tháng 9"} if index == 1 else {}
        if index == 2:
            findings["2.2"] = "Thuốc BVTV để chung với bao phân trong bếp"
        for point in points:
            note = findings.get(point.code, "")
            services.answer_control_point(
                audit=audit,
                control_point=point,
                result=AuditAnswer.Result.NON_COMPLIANT if note else AuditAnswer.Result.COMPLIANT,
                note=note,
                by=by,
            )
            if note:
                services.add_corrective_action(
                    audit=audit,
                    control_point=point,
                    description="Bổ sung sổ ghi chép và tập huấn lại"
                    if point.code == "4.2"
                    else "Làm tủ có khóa riêng để thuốc BVTV, xa bếp và nguồn nước",
                    due_on=date(2025, 11, 15),
                    by=by,
                )
        if index == 0:
            services.close_audit(audit=audit, summary="Đạt, không có điểm không phù hợp.", by=by)
