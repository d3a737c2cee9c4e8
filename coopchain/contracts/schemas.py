from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class WindowIn(Schema):
    starts_on: date
    ends_on: date
    quantity_kg: Decimal


class GradeIn(Schema):
    code: str
    name: str
    adjustment: int = 0


class ContractIn(Schema):
    number: str
    buyer_id: int
    seller_id: int
    commodity: str
    season: str = ""
    starts_on: date
    ends_on: date
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None = None
    market_province: str | None = None
    market_percent: Decimal = Decimal(0)
    floor_price: int | None = None
    ceiling_price: int | None = None
    recovery_percent: Decimal = Decimal(0)
    windows: list[WindowIn] = []
    grades: list[GradeIn] = []


class WindowOut(WindowIn):
    id: int


class GradeOut(GradeIn):
    id: int


class ContractOut(Schema):
    """A contract with the terms in force today: `terms_version` names them (1 as signed, then
    each signed amendment) and `versions_url` lists every version."""

    id: int
    number: str
    buyer_id: int
    buyer_name: str
    seller_id: int
    seller_name: str
    commodity: str
    season: str
    starts_on: date
    ends_on: date
    quantity_kg: Decimal
    price_kind: str
    fixed_price: int | None
    market_province: str | None
    market_percent: Decimal
    floor_price: int | None
    ceiling_price: int | None
    recovery_percent: Decimal
    status: str
    buyer_signed_at: datetime | None
    seller_signed_at: datetime | None
    activated_on: date | None
    ended_on: date | None
    termination_reason: str
    terms_version: int
    terms_since: date
    versions_url: str
    windows: list[WindowOut]
    grades: list[GradeOut]


class SignIn(Schema):
    side: str


class EndIn(Schema):
    completed: bool = False
    reason: str = ""


class ContractDeliveryIn(Schema):
    lot_id: int
    quantity_kg: Decimal
    delivered_on: date
    grade: str | None = None


class ContractDeliveryOut(Schema):
    id: int
    contract_id: int
    lot_id: int
    lot_epc: str
    member_id: int | None
    delivered_on: date
    quantity_kg: Decimal
    grade: str | None
    window_id: int | None
    price_per_kg: int
    price_lines: list[dict[str, Any]]
    amount: int
    recovered: int
    beyond_contract: bool


class WindowFulfilmentOut(Schema):
    label: str
    starts_on: date | None
    ends_on: date | None
    promised_kg: Decimal
    delivered_kg: Decimal
    deliveries: int
    amount: int
    percent: int | None
    accepted_kg: Decimal
    rejected_kg: Decimal


class FulfilmentOut(Schema):
    total: WindowFulfilmentOut
    windows: list[WindowFulfilmentOut]
    outside_windows: WindowFulfilmentOut | None
    advances_outstanding: int


class MarketPriceIn(Schema):
    commodity: str
    province: str
    on: date
    price: int
    source: str


class MarketPriceOut(MarketPriceIn):
    id: int


class LedgerEntryIn(Schema):
    member_id: int
    on: date
    kind: str
    amount: int
    description: str


class LedgerEntryOut(Schema):
    id: int
    on: date
    kind: str
    amount: int
    description: str
    balance_after: int


class MemberLedgerOut(Schema):
    member_id: int
    balance: int
    entries: list[LedgerEntryOut]


class PaymentRunIn(Schema):
    organization_id: int
    period_start: date
    period_end: date
    member_ids: list[int] = []
    recovery_limit_percent: int = 50


class PaymentLineOut(Schema):
    member_id: int
    due: int
    outstanding_debt: int
    deduction: int
    pay: int
    explanation: list[dict[str, Any]]


class PaymentRunOut(Schema):
    id: int
    organization_id: int
    period_start: date
    period_end: date
    recovery_limit_percent: int
    status: str
    approved_at: datetime | None
    paid_at: datetime | None
    lines: list[PaymentLineOut]
