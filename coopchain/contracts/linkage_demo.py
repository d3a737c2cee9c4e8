"""Contracts demo, continued: HTX Quế Trấn Yên buys its members' whole organic cinnamon
output at the market price +8 %; HTX Rau Lâm Thao supplies two schools and a supermarket, the
schools on time, the supermarket contract in trouble: deliveries falling behind while members'
harvests go to the wholesale market instead (side-selling the fulfilment page shows).

Dates follow today's date so the season is always current. Idempotent: a contract already
there is left as it is, with its deliveries.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coopchain.contracts import receipts, services
from coopchain.contracts.models import LinkageContract, MarketPrice
from coopchain.parties import services as parties
from coopchain.parties.demo import CINNAMON, ORGANIZATION_PLANS, VEGETABLES
from coopchain.parties.models import AdminUnit, Member, Organization
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier
from coopchain.trace.models import Lot

CINNAMON_CONTRACT = "HĐ-QTY/TV-{year}"
CINNAMON_BARK = "Vỏ quế khô hữu cơ"
# Yên Bái's cinnamon markets, in the province of Lào Cai since the 2025 merger (code 15).
CINNAMON_PROVINCE = "15"
# Monthly reference prices of dried organic bark, VND/kg, January to December.
CINNAMON_PRICES = (
    52_000,
    52_500,
    53_800,
    55_000,
    56_400,
    55_900,
    54_200,
    53_000,
    51_800,
    50_500,
    49_900,
    51_200,
)
SCHOOLS_AND_SUPERMARKET = (
    # (tax code, name, short name, contract number, price VND/kg, kg per week, months)
    ("2601056841", "Trường Tiểu học Lâm Thao", "TH Lâm Thao", "HĐ-THLT/RLT", 16_000, 260, 5),
    ("2601056859", "Trường Mầm non Hoa Sen Lâm Thao", "MN Hoa Sen", "HĐ-MNHS/RLT", 15_500, 140, 5),
    (
        "2601073412",
        "Công ty Cổ phần Siêu thị Xanh Việt Trì",
        "Siêu thị Xanh",
        "HĐ-STX/RLT",
        19_000,
        0,
        12,
    ),
)
SUPERMARKET_MONTHLY_KG = Decimal(2_000)
# What the supermarket actually received each month since the start: falling behind.
SUPERMARKET_SHARE = (Decimal("0.95"), Decimal("0.55"), Decimal("0.30"), Decimal("0.20"))


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


def _noon(on: date) -> datetime:
    return min(timezone.make_aware(datetime.combine(on, time(7))), timezone.now())


def _harvest(coop: Organization, member: Member, kg: Decimal, on: date, number: str) -> Lot:
    """A member's harvest lot, commissioned in the ledger (or found, when the demo ran)."""
    found = Lot.objects.filter(organization=coop, lot_number=number).first()
    if found is not None:
        return found
    epc = issue_platform_lot_identifier()
    event = ledger.commissioning_event(
        item=ledger.Quantity(epc, kg, services.KILOGRAM),
        event_time=_noon(on),
        lot_number=number,
        harvest_started_on=on,
        harvest_ended_on=on,
    )
    return ledger.record_event(organization=coop, event=event, harvested_by=member).lot(epc)


def _signed(buyer: Organization, number: str, **values: Any) -> tuple[LinkageContract, bool]:
    existing = LinkageContract.objects.filter(buyer=buyer, number=number).first()
    if existing is not None:
        return existing, False
    contract = services.create_contract(
        data=services.ContractData(buyer=buyer, number=number, **values), by=SYSTEM
    )
    services.sign_contract(contract=contract, side="buyer", by=SYSTEM)
    return services.sign_contract(contract=contract, side="seller", by=SYSTEM), True


def _members(coop: Organization, count: int) -> list[Member]:
    return list(Member.objects.filter(organization=coop).order_by("code")[:count])


@transaction.atomic
def load_linkage_demo() -> dict[str, Any]:
    made: dict[str, Any] = {}
    cinnamon, vegetables = _organization(CINNAMON), _organization(VEGETABLES)
    if cinnamon is not None:
        made["cinnamon"] = _cinnamon(cinnamon)
    if vegetables is not None:
        made["vegetables"] = _vegetables(vegetables)
    return made


def _cinnamon(coop: Organization) -> dict[str, int]:
    today = timezone.localdate()
    year = today.year
    province = AdminUnit.objects.get(code=CINNAMON_PROVINCE)
    for month, price in enumerate(CINNAMON_PRICES, start=1):
        on = date(year, month, 5)
        if (
            on <= today
            and not MarketPrice.objects.filter(
                commodity=CINNAMON_BARK, province=province, on=on
            ).exists()
        ):
            services.record_market_price(
                commodity=CINNAMON_BARK,
                province=province,
                on=on,
                price=price,
                source="Giá quế vỏ khô tại chợ Văn Yên (bản tin giá tháng)",
                by=SYSTEM,
            )
    members = _members(coop, 24)
    contract, new = _signed(
        coop,
        CINNAMON_CONTRACT.format(year=year),
        seller=coop,
        from_members=True,
        commodity=CINNAMON_BARK,
        season=f"Vụ quế {year}",
        starts_on=date(year, 3, 1),
        ends_on=date(year, 12, 31),
        # The whole organic output of the members: about 2.5 t of dried bark a household.
        quantity_kg=Decimal(60_000),
        price_kind=LinkageContract.PriceKind.MARKET,
        market_province=province,
        market_percent=Decimal(8),
        floor_price=45_000,
        quality_measure="Độ ẩm, %",
        windows=[
            services.Window(date(year, 3, 1), date(year, 6, 30), Decimal(30_000)),
            services.Window(date(year, 8, 1), date(year, 10, 31), Decimal(30_000)),
        ],
        grades=[
            services.Grade("QO1", "Quế ống loại 1, ẩm ≤ 13,5 %", 3_000, None, Decimal("13.5")),
            services.Grade("QVX", "Quế vỏ xô, ẩm ≤ 15 %", 0, None, Decimal(15)),
            services.Grade("AM", "Ẩm trên 15 %, phải phơi lại", -4_000),
        ],
    )
    delivered = 0
    if new:
        moisture = (Decimal("12.8"), Decimal("13.9"), Decimal("14.6"), Decimal("15.8"))
        for i, member in enumerate(members):
            on = (
                date(year, 3 + (i % 4), 10 + i % 15) if i % 2 else date(year, 8 + i % 3, 8 + i % 20)
            )
            if on > today:
                continue
            kg = Decimal(1_600 + 90 * (i % 9))
            lot = _harvest(coop, member, kg, on, f"QY{year % 100}-V{i + 1:03d}")
            services.record_contract_delivery(
                contract=contract,
                lot=lot,
                quantity_kg=kg,
                delivered_on=on,
                measured_quality=moisture[i % len(moisture)],
                by=SYSTEM,
            )
            delivered += 1
    return {"contract": contract.pk, "deliveries": delivered}


def _vegetables(coop: Organization) -> dict[str, Any]:
    today = timezone.localdate()
    school_year = today.year if today.month >= 9 else today.year - 1
    start = date(school_year, 9, 1)
    members = _members(coop, 30)
    made: dict[str, Any] = {}
    for tax_code, name, short, number, price, weekly, months in SCHOOLS_AND_SUPERMARKET:
        buyer = Organization.objects.filter(tax_code=tax_code).first() or (
            parties.register_organization(
                kind=Organization.Kind.ENTERPRISE,
                name=name,
                short_name=short,
                tax_code=tax_code,
                province_code="25",
            )
        )
        supermarket = weekly == 0
        ends = _month_end(start, months)
        windows = (
            [
                services.Window(m, _month_end(m, 1), SUPERMARKET_MONTHLY_KG)
                for m in _months(start, months)
            ]
            if supermarket
            else []
        )
        contract, new = _signed(
            buyer,
            f"{number}-{school_year}",
            seller=coop,
            commodity="Rau ăn lá an toàn VietGAP (cải, muống, ngót)",
            season=f"Năm học {school_year}–{school_year + 1}"
            if not supermarket
            else f"{school_year}–{school_year + 1}",
            starts_on=start,
            ends_on=ends,
            quantity_kg=(
                SUPERMARKET_MONTHLY_KG * months if supermarket else Decimal(weekly * 4 * months)
            ),
            price_kind=LinkageContract.PriceKind.FIXED,
            fixed_price=price,
            windows=windows,
            grades=[
                services.Grade("A", "Loại A: tươi, không dập, đóng túi 500 g", 1_000),
                services.Grade("B", "Loại B", 0),
            ],
        )
        if not new:
            made[short] = {"contract": contract.pk, "deliveries": 0}
            continue
        if supermarket:
            # Households of their own: the schools' suppliers keep to their contracts.
            made[short] = _supermarket(coop, contract, members[12:], start, today)
        else:
            made[short] = _school(coop, contract, members, start, today, Decimal(weekly))
    return made


def _months(start: date, count: int) -> list[date]:
    months, month = [], start
    for _ in range(count):
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_end(start: date, months: int) -> date:
    return _months(start, months + 1)[-1] - timedelta(days=1)


def _school(
    coop: Organization,
    contract: LinkageContract,
    members: list[Member],
    start: date,
    today: date,
    weekly: Decimal,
) -> dict[str, int]:
    """Every school week a member's harvest, received by the school's kitchen next morning."""
    count = 0
    on = start + timedelta(days=(7 - start.weekday()) % 7)  # the first Monday
    while on <= min(contract.ends_on, today - timedelta(days=1)):
        member = members[count % len(members)]
        kg = weekly + Decimal(count % 3 * 5)
        lot = _harvest(coop, member, kg, on, f"LT-{contract.number[3:7]}-{on:%y%m%d}")
        delivery = services.record_contract_delivery(
            contract=contract,
            lot=lot,
            quantity_kg=kg,
            delivered_on=on,
            grade=contract.grades.get(code="A" if count % 4 else "B"),
            by=SYSTEM,
        )
        rejected = Decimal(6) if count % 5 == 2 else Decimal(0)
        receipts.confirm_receipt(
            delivery=delivery,
            accepted_kg=kg - rejected,
            rejected_kg=rejected,
            received_on=on + timedelta(days=1),
            reason="Rau dập, héo" if rejected else "",
            by=SYSTEM,
        )
        count += 1
        on += timedelta(days=7)
    return {"contract": contract.pk, "deliveries": count}


def _supermarket(
    coop: Organization,
    contract: LinkageContract,
    members: list[Member],
    start: date,
    today: date,
) -> dict[str, int]:
    """Weekly deliveries that shrink month by month, while the same members' harvests, larger
    than ever, go to the Việt Trì wholesale market instead."""
    count, elsewhere = 0, 0
    for index, month in enumerate(_months(start, 12)):
        if month > today:
            break
        share = SUPERMARKET_SHARE[min(index, len(SUPERMARKET_SHARE) - 1)]
        weekly = (SUPERMARKET_MONTHLY_KG * share / 4).quantize(Decimal(1))
        for week in range(4):
            on = month + timedelta(days=2 + 7 * week)
            if on >= today:
                break
            member = members[(index * 4 + week) % len(members)]
            lot = _harvest(coop, member, weekly, on, f"LT-STX-{on:%y%m%d}")
            services.record_contract_delivery(
                contract=contract,
                lot=lot,
                quantity_kg=weekly,
                delivered_on=on,
                grade=contract.grades.get(code="A"),
                by=SYSTEM,
            )
            count += 1
            # The same household's next harvest, sold at the farm gate to a trader.
            _harvest(coop, member, weekly * 2, on + timedelta(days=3), f"LT-CHO-{on:%y%m%d}")
            elsewhere += 1
    return {"contract": contract.pk, "deliveries": count, "harvests_elsewhere": elsewhere}
