"""Building blocks for contract tests: a contract between a buyer and a cooperative, signed
by both, and market prices."""

from datetime import date
from decimal import Decimal
from typing import Any

from coopchain.contracts import services
from coopchain.contracts.models import LinkageContract
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import SYSTEM

COFFEE = "Cà phê nhân Robusta"


def make_contract(
    buyer: Organization, seller: Organization, *, signed: bool = True, **overrides: Any
) -> LinkageContract:
    values: dict[str, Any] = {
        "number": "HĐ-01/2025",
        "buyer": buyer,
        "seller": seller,
        "commodity": COFFEE,
        "season": "2025/26",
        "starts_on": date(2025, 10, 1),
        "ends_on": date(2026, 3, 31),
        "quantity_kg": Decimal(10000),
        "price_kind": LinkageContract.PriceKind.MARKET,
        "market_province": AdminUnit.objects.get(code="66"),
        "market_percent": Decimal(6),
        "floor_price": 90000,
        "windows": [
            services.Window(date(2025, 10, 1), date(2025, 12, 31), Decimal(6000)),
            services.Window(date(2026, 1, 1), date(2026, 3, 31), Decimal(4000)),
        ],
        "grades": [
            services.Grade("G1", "Loại 1 (sàng 18)", 2000),
            services.Grade("G2", "Loại 2 (sàng 16)", 0),
            services.Grade("G3", "Dưới chuẩn", -5000),
        ],
    }
    values.update(overrides)
    contract = services.create_contract(data=services.ContractData(**values), by=SYSTEM)
    if signed:
        services.sign_contract(contract=contract, side="buyer", by=SYSTEM)
        contract = services.sign_contract(contract=contract, side="seller", by=SYSTEM)
    return contract


def market_price(on: date, price: int, commodity: str = COFFEE, province: str = "66") -> None:
    services.record_market_price(
        commodity=commodity,
        province=AdminUnit.objects.get(code=province),
        on=on,
        price=price,
        source="Giá cà phê Đắk Lắk (Sở Công Thương)",
        by=SYSTEM,
    )
