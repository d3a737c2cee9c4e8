from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema


class ReadingIn(Schema):
    quantity: Decimal
    unit: str = "KGM"
    fat: Decimal | None = None
    snf: Decimal | None = None
    density: Decimal | None = None
    lactometer: Decimal | None = None
    temperature: Decimal | None = None
    chilled: bool = True
    antibiotic: str = "not_tested"
    rejection_reason: str = ""


class DeliveryIn(ReadingIn):
    facility_id: int
    member_id: int
    shift: str
    delivered_at: datetime | None = None


class CorrectionIn(ReadingIn):
    reason: str


class FlagOut(Schema):
    code: str
    severity: str
    message: str


class DeliveryOut(Schema):
    id: int
    organization_id: int
    facility_id: int
    member_id: int
    member_code: str
    shift: str
    delivered_at: datetime
    collection_day: date
    quantity_kg: Decimal
    quantity_litres: Decimal
    fat: Decimal | None
    snf: Decimal | None
    density: Decimal | None
    temperature: Decimal | None
    antibiotic: str
    status: str
    rejection_reason: str
    flags: list[FlagOut]
    price_per_kg: int | None
    amount: int | None
    price_lines: list[dict[str, Any]]
    corrects_id: int | None
    corrected_by_id: int | None
    lot_epc: str | None
    bulk_lot_id: int | None


class LabTestIn(Schema):
    sampled_on: date
    delivery_id: int | None = None
    bulk_lot_id: int | None = None
    plate_count: int | None = None
    somatic_cells: int | None = None
    freezing_point: Decimal | None = None
    protein: Decimal | None = None
    aflatoxin_m1: Decimal | None = None
    acidity: Decimal | None = None
    laboratory: str = ""


class LabTestOut(Schema):
    id: int
    delivery_id: int | None
    bulk_lot_id: int | None
    sampled_on: date
    flags: list[FlagOut]


class RateChartIn(Schema):
    organization_id: int
    name: str
    base_price: int
    valid_from: date
    valid_to: date | None = None
    processor_id: int | None = None
    centre_id: int | None = None
    solids_grades: list[tuple[Decimal, int]] = []
    bacteria_grades: list[tuple[int, int]] = []
    # Fat × SNF cells: (fat % from, SNF % from, VND/kg).
    grid: list[tuple[Decimal, Decimal, int]] = []
    source: str = ""


class RateChartOut(Schema):
    id: int
    organization_id: int
    processor_id: int | None
    centre_id: int | None
    name: str
    base_price: int
    valid_from: date
    valid_to: date | None
    solids_grades: list[tuple[Decimal, int]]
    bacteria_grades: list[tuple[int, int]]
    grid: list[tuple[Decimal, Decimal, int]]
    source: str


class BulkLotIn(Schema):
    facility_id: int
    collection_day: date
    shift: str


class ShipmentIn(Schema):
    processor_id: int
    shipped_at: datetime | None = None


class BulkLotOut(Schema):
    id: int
    facility_id: int
    collection_day: date
    shift: str
    quantity_kg: Decimal
    lot_id: int
    lot_epc: str
    processor_id: int | None
    shipped_at: datetime | None
    delivery_ids: list[int]


class TankReadingIn(Schema):
    measured_at: datetime
    temperature: Decimal


class TankReadingsIn(Schema):
    readings: list[TankReadingIn] = []


class TankReadingsOut(Schema):
    stored: int


class BillsIn(Schema):
    organization_id: int
    start: date
    end: date


class BillLineOut(Schema):
    kind: str
    description: str
    delivery_id: int | None
    quantity_kg: Decimal | None
    price_per_kg: int | None
    amount: int


class BillOut(Schema):
    id: int
    member_id: int
    member_code: str
    period_start: date
    period_end: date
    delivery_count: int
    quantity_kg: Decimal
    gross: int
    deductions: int
    net: int
    closed: bool
    lines: list[BillLineOut]


class HerdRecordIn(Schema):
    member_id: int
    on: date
    cows: int


class HerdRecordOut(Schema):
    id: int
    member_id: int
    on: date
    cows: int


class FarmSizeOut(Schema):
    label: str
    farms: int
    cows: int
    kg: Decimal
    share: Decimal
