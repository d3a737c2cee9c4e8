"""The traceability demo: one robusta chain in Đắk Lắk, from eight households' cherry to a
container, every step recorded through the ledger and every lot published with its QR code.

Harvest lots of members of HTX Cà phê Ea Tul -> received at the collection point -> sun
dried and hulled at the cooperative's warehouse -> shipped to Cà phê Ban Mê -> graded into
the exporter's green-bean lot -> stuffed into a container (SSCC), with temperature and
humidity readings on the way to the port. Volumes follow the reference yields of
`coopchain.trace.mass_balance`, so the chain has no finding.

`coopchain demo` calls `load_trace_demo()` after the parties demo; it is idempotent (the
container's SSCC marks a chain already loaded).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopchain.lib import gs1
from coopchain.parties.demo import COFFEE, EXPORTER, ORGANIZATION_PLANS
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace import catalog
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import organization_uri
from coopchain.trace.models import Lot, Product

# GS1 company prefixes for the demo (893: GS1 Viet Nam); the keys are made up.
COOP_PREFIX = "8938504"
EXPORTER_PREFIX = "8938517"
CONTAINER_BODY = "08938517000000301"  # extension digit + prefix + serial, before its check digit
HARVEST_KG = (820, 1150, 640, 980, 1320, 760, 1040, 890)  # 7,600 kg of fresh cherry


def _gtin(prefix: str, item: str) -> str:
    body = f"0{prefix}{item}"
    return body + gs1.check_digit(body)


def _at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


def _product(organization: Organization, name: str, gtin: str, commodity: str) -> Product:
    existing = Product.objects.filter(gtin=gtin).first()
    if existing is not None:
        return existing
    data = catalog.ProductData(name=name, gtin=gtin, hs_code="090111", commodity=commodity)
    return catalog.create_product(organization=organization, data=data, by=SYSTEM)


def _lot(product: Product, number: str) -> str:
    return gs1.gtin_link(product.gtin, lot=number)


def _q(epc: str, kg: Decimal | int) -> ledger.Quantity:
    return ledger.Quantity(epc, Decimal(kg), "KGM")


def _location(organization: Organization, code: str) -> str:
    facility = Facility.objects.filter(organization=organization, code=code).first()
    return facility.location_uri if facility else ""


@transaction.atomic
def load_trace_demo(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Record the demo chain once; returns the lots it made (empty when already there or
    when the parties demo is missing)."""
    container = gs1.sscc_link(CONTAINER_BODY + gs1.check_digit(CONTAINER_BODY))
    coop, exporter = _organization(COFFEE), _organization(EXPORTER)
    members = list(Member.objects.filter(organization=coop).order_by("code")[:8]) if coop else []
    if Lot.objects.filter(epc=container).exists() or exporter is None or len(members) < 8:
        return {}
    cherry = _product(coop, "Cà phê quả tươi Robusta", _gtin(COOP_PREFIX, "00011"), "coffee_cherry")
    dried = _product(
        coop, "Cà phê quả khô Robusta", _gtin(COOP_PREFIX, "00028"), "dried_coffee_cherry"
    )
    green = _product(coop, "Cà phê nhân xô Robusta", _gtin(COOP_PREFIX, "00035"), "green_coffee")
    export = _product(
        exporter, "Robusta Đắk Lắk loại 1 sàng 16", _gtin(EXPORTER_PREFIX, "00042"), "green_coffee"
    )
    centre = _location(coop, "ET-TM01")
    store = _location(coop, "ET-KHO1")
    coop_party, exporter_party = organization_uri(coop), organization_uri(exporter)

    harvests = []
    events: list[dict[str, Any]] = []
    harvested_by = {}
    for i, (member, kg) in enumerate(zip(members, HARVEST_KG, strict=True)):
        picked = date(2025, 11, 10) + timedelta(days=i)
        epc = _lot(cherry, f"ET25-Q{i + 1:03d}")
        harvests.append((epc, kg))
        harvested_by[epc] = member
        events.append(
            ledger.commissioning_event(
                item=_q(epc, kg),
                event_time=_at(picked, 16),
                location=centre,
                lot_number=f"ET25-Q{i + 1:03d}",
                harvest_started_on=picked,
                harvest_ended_on=picked,
            )
        )
        events.append(
            ledger.receiving_event(items=[_q(epc, kg)], event_time=_at(picked, 17), location=centre)
        )
    total = sum(kg for _epc, kg in harvests)  # 7,600 kg
    dried_epc, dried_kg = _lot(dried, "ET25-K01"), Decimal(total) * Decimal("0.44")
    green_epc, green_kg = _lot(green, "ET25-N01"), (dried_kg * Decimal("0.5")).quantize(Decimal(1))
    events += [
        ledger.transformation_event(
            inputs=[_q(epc, kg) for epc, kg in harvests],
            outputs=[_q(dried_epc, dried_kg.quantize(Decimal(1)))],
            event_time=_at(date(2025, 11, 30)),
            location=store,
        ),
        ledger.transformation_event(
            inputs=[_q(dried_epc, dried_kg.quantize(Decimal(1)))],
            outputs=[_q(green_epc, green_kg)],
            event_time=_at(date(2025, 12, 6)),
            location=store,
        ),
        ledger.shipping_event(
            items=[_q(green_epc, green_kg)],
            event_time=_at(date(2025, 12, 10)),
            location=store,
            source_party=coop_party,
            destination_party=exporter_party,
        ),
    ]
    ledger.record_events(organization=coop, events=events, harvested_by=harvested_by)

    export_epc = _lot(export, "BM25-R16-007")
    export_kg = (green_kg * Decimal("0.98")).quantize(Decimal(1))
    readings = [
        {
            "type": "gs1:Temperature",
            "value": value,
            "uom": "CEL",
            "time": _at(date(2026, 1, 8), hour).isoformat(),
        }
        for hour, value in ((6, 24.5), (10, 27.0), (14, 31.5), (18, 28.0), (22, 25.5))
    ]
    ledger.record_events(
        organization=exporter,
        events=[
            ledger.receiving_event(
                items=[_q(green_epc, green_kg)],
                event_time=_at(date(2025, 12, 10), 15),
                source_party=coop_party,
                destination_party=exporter_party,
            ),
            ledger.transformation_event(
                inputs=[_q(green_epc, green_kg)],
                outputs=[_q(export_epc, export_kg)],
                event_time=_at(date(2025, 12, 20)),
            ),
            ledger.aggregation_event(
                parent=container,
                children=[_q(export_epc, export_kg)],
                event_time=_at(date(2026, 1, 7)),
            ),
            {
                **ledger.shipping_event(
                    items=[container],
                    event_time=_at(date(2026, 1, 8), 22),
                    source_party=exporter_party,
                ),
                "sensorElementList": [{"sensorReport": readings}],
            },
        ],
    )
    epcs = [*(epc for epc, _kg in harvests), dried_epc, green_epc, export_epc, container]
    lots = list(Lot.objects.filter(epc__in=epcs).select_related("organization"))
    for lot in lots:
        catalog.publish_lot(lot=lot, published=True, by=SYSTEM)
    if stdout is not None:
        stdout.write(
            f"Trace: a coffee chain of {len(lots)} published lots, ending in {container}\n"
        )
    return {"lots": len(lots), "container": container}
