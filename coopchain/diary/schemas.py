from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from ninja import Schema
from pydantic import Field


class PHIOut(Schema):
    crop: str
    days: int


class InputProductOut(Schema):
    id: int
    organization_id: int | None = Field(description="None: the platform's shared catalogue")
    name: str
    kind: str
    active_ingredients: str
    registration_number: str
    banned: bool
    banned_reason: str
    max_dose_per_ha: Decimal | None
    dose_unit: str
    is_sample: bool
    phi: list[PHIOut]


class InputProductIn(Schema):
    name: str
    kind: str
    active_ingredients: str = ""
    registration_number: str = ""
    banned: bool = False
    banned_reason: str = ""
    max_dose_per_ha: Decimal | None = None
    dose_unit: str = Field("", description="KGM or LTR (per hectare)")
    phi_days: dict[str, int] = Field(
        default_factory=dict, description="Pre-harvest interval in days by crop code"
    )
    notes: str = ""


class LineIn(Schema):
    product_id: int
    quantity: Decimal
    unit: str = Field(description="UN/CEFACT code: KGM, GRM, LTR or MLT")


class LineOut(Schema):
    product_id: int
    product: str
    quantity: Decimal
    unit: str


class EntryIn(Schema):
    kind: str = Field(
        description="planting, fertilizing, spraying, irrigation, pruning, harvest or other"
    )
    performed_on: date
    plot_ids: list[int]
    lines: list[LineIn] = []
    crop: str = Field("", description="Crop code (required for a harvest)")
    performed_by_id: int | None = Field(None, description="The member who did it")
    worker_name: str = ""
    area_treated_ha: Decimal | None = None
    notes: str = ""
    harvest_quantity: Decimal | None = None
    harvest_unit: str = Field("", description="UN/CEFACT code: KGM, TNE, LTR or H87")
    submission_id: UUID | None = Field(
        None, description="Send the same UUID again when retrying: the entry is recorded once"
    )


class HarvestIn(Schema):
    performed_on: date
    plot_ids: list[int]
    crop: str
    harvest_quantity: Decimal
    harvest_unit: str = "KGM"
    performed_by_id: int | None = None
    worker_name: str = ""
    notes: str = ""
    submission_id: UUID | None = None


class EntryCorrectionIn(EntryIn):
    reason: str


class WithdrawalIn(Schema):
    reason: str


class DiaryFindingOut(Schema):
    code: str
    label: str
    message: str
    entry_id: int | None
    cause_entry_id: int | None
    on: date
    params: dict


class HarvestLotOut(Schema):
    id: int
    epc: str
    lot_number: str
    quantity: Decimal | None
    unit: str
    eligible: bool | None = Field(description="Eligible for certified claims")
    reasons: list[str]


class EntryOut(Schema):
    id: int
    organization_id: int
    household_id: int
    kind: str
    performed_on: date
    plot_ids: list[int]
    lines: list[LineOut]
    crop: str | None
    performed_by_id: int | None
    worker_name: str
    area_treated_ha: Decimal | None
    notes: str
    harvest_quantity: Decimal | None
    harvest_unit: str
    lot: HarvestLotOut | None
    corrects_id: int | None
    corrected_by_id: int | None
    withdrawn: bool
    correction_reason: str
    current: bool
    recorded_by: str
    recorded_at: datetime
    findings: list[DiaryFindingOut] = []


class HarvestOut(Schema):
    entry: EntryOut
    lot: HarvestLotOut
    findings: list[DiaryFindingOut]


class FindingListOut(Schema):
    finding: DiaryFindingOut
    household_id: int
    plot_ids: list[int]
