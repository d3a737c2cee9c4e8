"""Contract demo: the Ea Tul coffee cooperative under contract with the coffee exporter at the
Đắk Lắk market price +6 % with a floor, and the Ba Vì dairy cooperative's contract with Sữa
Tản Viên; the lots the trace and milk demos already shipped to those buyers are the
deliveries. Members' passbooks: Ea Tul's coffee bought and fertiliser on credit, Ba Vì's
closed milk bills; a draft payment run for Ba Vì.

Idempotent and fast: each part is skipped when its records are there.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopchain.contracts import services
from coopchain.contracts.linkage_demo import load_linkage_demo
from coopchain.contracts.models import ContractDelivery, LedgerEntry, LinkageContract, PaymentRun
from coopchain.contracts.payments_demo import load_payments_demo
from coopchain.dairy.models import BulkLot
from coopchain.parties.demo import COFFEE, DAIRY, EXPORTER, ORGANIZATION_PLANS, PROCESSOR
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.models import EventObject, Lot

COFFEE_CONTRACT = "HĐLK-BM/ET-2025/26"
MILK_CONTRACT = "HĐLK-TV/BV-{year}"
GREEN_COFFEE = "Cà phê nhân xô Robusta"
# Weekly Đắk Lắk prices of green Robusta, VND/kg, from the first Monday of October 2025:
# a season that rose into the new year and fell back in spring, under the contract's floor.
WEEKLY_PRICES = (
    112_500,
    113_800,
    115_200,
    114_600,
    116_900,
    118_300,
    117_700,
    119_400,
    121_000,
    122_600,
    120_900,
    118_800,
    116_200,
    113_500,
    110_700,
    107_900,
    104_800,
    101_600,
    99_300,
    97_200,
    95_800,
    94_100,
    92_600,
    91_900,
    93_400,
    94_800,
)
FLOOR = 100_000
CHERRY_PRICE = 24_500  # VND/kg of fresh cherry the cooperative pays its members
FERTILISER = (1_850_000, 2_400_000, 3_150_000)


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


@transaction.atomic
def load_contracts_demo(*, stdout: TextIO | None = None) -> dict[str, Any]:
    coffee, exporter = _organization(COFFEE), _organization(EXPORTER)
    dairy, processor = _organization(DAIRY), _organization(PROCESSOR)
    made: dict[str, Any] = {}
    if coffee is not None and exporter is not None:
        made["coffee"] = _coffee(coffee, exporter)
        made["payments"] = _payments(coffee)
    if dairy is not None and processor is not None:
        made["milk"] = _milk(dairy, processor)
    made.update(load_linkage_demo())
    if stdout is not None:
        stdout.write(f"Contracts: {made}\n")
    return made


def _payments(coop: Organization) -> dict[str, int]:
    """Ea Tul's members' bank accounts, a paid harvest run and a spring run awaiting review."""
    return load_payments_demo(coop)


def _contract(buyer: Organization, number: str, **values: Any) -> LinkageContract:
    existing = LinkageContract.objects.filter(buyer=buyer, number=number).first()
    if existing is not None:
        return existing
    contract = services.create_contract(
        data=services.ContractData(buyer=buyer, number=number, **values), by=SYSTEM
    )
    services.sign_contract(contract=contract, side="buyer", by=SYSTEM)
    return services.sign_contract(contract=contract, side="seller", by=SYSTEM)


def _deliver(contract: LinkageContract, lot: Lot, kg: Decimal, on: date, grade: str = "") -> int:
    if ContractDelivery.objects.filter(lot=lot).exists():
        return 0
    services.record_contract_delivery(
        contract=contract,
        lot=lot,
        quantity_kg=kg,
        delivered_on=on,
        grade=contract.grades.filter(code=grade).first() if grade else None,
        by=SYSTEM,
    )
    return 1


def _coffee(coop: Organization, exporter: Organization) -> dict[str, int]:
    province = AdminUnit.objects.get(code="66")
    first_monday = date(2025, 10, 6)
    for week, price in enumerate(WEEKLY_PRICES):
        services.record_market_price(
            commodity=GREEN_COFFEE,
            province=province,
            on=first_monday + timedelta(weeks=week),
            price=price,
            source="Giá cà phê nhân xô tại Đắk Lắk (bản tin giá tuần)",
            by=SYSTEM,
        )
    contract = _contract(
        exporter,
        COFFEE_CONTRACT,
        seller=coop,
        commodity=GREEN_COFFEE,
        season="Niên vụ 2025/26",
        starts_on=date(2025, 10, 1),
        ends_on=date(2026, 6, 30),
        quantity_kg=Decimal(20_000),
        price_kind=LinkageContract.PriceKind.MARKET,
        market_province=province,
        market_percent=Decimal(6),
        floor_price=FLOOR,
        windows=[
            services.Window(date(2025, 10, 1), date(2025, 12, 31), Decimal(8_000)),
            services.Window(date(2026, 1, 1), date(2026, 3, 31), Decimal(8_000)),
            services.Window(date(2026, 4, 1), date(2026, 6, 30), Decimal(4_000)),
        ],
        grades=[
            services.Grade("L1", "Loại 1, sàng 16, ẩm ≤ 12,5 %", 1_500),
            services.Grade("L2", "Loại 2, sàng 13", 0),
            services.Grade("DC", "Dưới chuẩn, ẩm > 13 %", -4_000),
        ],
    )
    delivered = 0
    green = Lot.objects.filter(organization=coop, lot_number="ET25-N01").first()
    # The green coffee the trace demo shipped to the exporter: its quantity is the shipment's.
    shipped_kg = (
        EventObject.objects.filter(lot=green, event__biz_step="shipping")
        .values_list("quantity", flat=True)
        .first()
    )
    if green is not None and shipped_kg:
        delivered += _deliver(
            contract, green, shipped_kg.quantize(Decimal("0.01")), date(2025, 12, 10), "L1"
        )
    return {"contract": contract.pk, "deliveries": delivered, "entries": _coffee_ledger(coop)}


def _coffee_ledger(coop: Organization) -> int:
    """The cherry the cooperative bought from its members, and fertiliser sold on credit."""
    harvests = Lot.objects.filter(
        organization=coop, lot_number__startswith="ET25-Q", harvested_by__isnull=False
    ).order_by("lot_number")
    made = 0
    for i, lot in enumerate(harvests):
        member = lot.harvested_by
        if LedgerEntry.objects.filter(member=member, kind=LedgerEntry.Kind.PRODUCE).exists():
            continue
        on = lot.harvest_started_on or date(2025, 11, 10)
        services.add_ledger_entry(
            organization=coop,
            member=member,
            on=on,
            kind=LedgerEntry.Kind.PRODUCE,
            amount=int(lot.quantity * CHERRY_PRICE),
            description=f"Cà phê quả tươi lô {lot.lot_number}: {lot.quantity:.0f} kg × {CHERRY_PRICE:,} VND/kg",
            by=SYSTEM,
        )
        made += 1
        if i < len(FERTILISER):
            services.add_ledger_entry(
                organization=coop,
                member=member,
                on=date(2025, 6, 15),
                kind=LedgerEntry.Kind.INPUTS,
                amount=FERTILISER[i],
                description="Phân bón NPK 16-16-8 mua trả chậm, trả khi bán cà phê",
                by=SYSTEM,
            )
            made += 1
    return made


def _milk(coop: Organization, processor: Organization) -> dict[str, int]:
    today = timezone.localdate()
    shipped = list(
        BulkLot.objects.filter(organization=coop, processor=processor, shipped_at__isnull=False)
        .select_related("lot")
        .order_by("shipped_at")
    )
    year = today.year
    quarters = [
        (
            date(year, m, 1),
            (date(year, m + 3, 1) if m < 10 else date(year + 1, 1, 1)) - timedelta(days=1),
        )
        for m in (1, 4, 7, 10)
    ]
    contract = _contract(
        processor,
        MILK_CONTRACT.format(year=year),
        seller=coop,
        commodity="Sữa bò tươi nguyên liệu",
        season=f"Năm {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        quantity_kg=Decimal(120_000),
        price_kind=LinkageContract.PriceKind.FIXED,
        fixed_price=14_000,
        windows=[services.Window(start, end, Decimal(30_000)) for start, end in quarters],
        grades=[
            services.Grade("A", "Đạt chuẩn, vật chất khô ≥ 12,5 %", 500),
            services.Grade("B", "Đạt chuẩn", 0),
        ],
    )
    delivered = 0
    for bulk in shipped:
        on = timezone.localtime(bulk.shipped_at).date()
        if on.year == year:
            delivered += _deliver(contract, bulk.lot, bulk.quantity_kg, on, "B")
    posted = services.post_milk_bills(
        organization=coop, start=date(year - 1, 1, 1), end=today, by=SYSTEM
    )
    runs = 0
    if not PaymentRun.objects.filter(organization=coop).exists() and posted:
        services.prepare_payment_run(
            organization=coop,
            period_start=today - timedelta(days=31),
            period_end=today,
            by=SYSTEM,
        )
        runs = 1
    return {"contract": contract.pk, "deliveries": delivered, "milk_bills": posted, "runs": runs}
