from datetime import datetime
from decimal import Decimal

from ninja import Schema


class ReportIn(Schema):
    year: int
    half: int
    revenue: int | None = None
    cost: int | None = None
    profit: int | None = None
    members: int | None = None
    workers: int | None = None
    average_member_income: int | None = None
    charter_capital: int | None = None
    loans: int | None = None
    support_received: int | None = None
    output_value: int | None = None
    linkage_output_value: int | None = None
    brand_registered: bool | None = None
    traceability_in_use: bool | None = None
    ocop_stars: int | None = None
    note: str = ""


class ReportOut(ReportIn):
    id: int
    organization_id: int
    version: int
    period: str
    sources: dict[str, str]
    submitted_at: datetime


class ScoreOut(Schema):
    criterion: str
    group: str
    label: str
    points: int
    max_points: int
    advice: str


class AlertOut(Schema):
    code: str
    weight: int
    reason: str
    next_step: str


class StandingOut(Schema):
    organization_id: int
    name: str
    status: str
    grade: str
    grade_label: str
    score: int | None
    reason: str
    period: str | None
    scores: list[ScoreOut]
    risk: int
    alerts: list[AlertOut]


class TargetOut(Schema):
    code: str
    title: str
    source: str
    target_percent: Decimal
    due_year: int
    value_percent: Decimal | None
    met: bool
    definition: str


class CommuneOut(Schema):
    ward_code: str
    ward: str
    linkage_models: int
    active_cooperatives: int


class SupportOut(Schema):
    organization_id: int
    name: str
    support_received: int


class ProvinceOut(Schema):
    province_code: str
    province: str
    officer_view: bool
    by_status: dict[str, int]
    targets: list[TargetOut]
    lagging_communes: list[CommuneOut]
    at_risk: list[StandingOut]
    support: list[SupportOut]
