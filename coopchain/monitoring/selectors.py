"""Reads of monitoring: a cooperative's standing and the province's dashboard.

Everything here is computed from the reports cooperatives submit and the platform's records;
the dashboard holds aggregates and cooperatives' names, never a member's personal data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Q
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.monitoring.early_warning import Alert, alerts_for, risk_score
from coopchain.monitoring.indicators import Figures, kept_figures
from coopchain.monitoring.models import (
    REPORT_FIELDS,
    CooperativeReport,
    LinkageModel,
    ProvinceOutput,
    ProvinceTarget,
)
from coopchain.monitoring.rating import GRADE_LABELS, Grade, Rating, rate
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import scope

COOPERATIVE_KINDS = (Organization.Kind.COOPERATIVE, Organization.Kind.COOPERATIVE_GROUP)


def current_versions(reports: list[CooperativeReport]) -> list[CooperativeReport]:
    """The highest version of each period, oldest period first."""
    best: dict[tuple[int, int, int], CooperativeReport] = {}
    for report in reports:
        key = (report.organization_id, report.year, report.half)
        if key not in best or report.version > best[key].version:
            best[key] = report
    # A year's report sorts after its second half: both end on 31 December.
    return sorted(best.values(), key=lambda r: (r.period_end, r.half == 0))


def latest_and_previous(
    reports: list[CooperativeReport],
) -> tuple[CooperativeReport | None, CooperativeReport | None]:
    """The latest report and the one it is compared with: the previous one of the same kind
    (half-year after half-year, year after year)."""
    if not reports:
        return None, None
    latest = reports[-1]
    same_kind = [r for r in reports[:-1] if (r.half == 0) == (latest.half == 0)]
    return latest, (same_kind[-1] if same_kind else None)


def rating_in_year(
    organization: Organization, reports: list[CooperativeReport], year: int
) -> Rating:
    """The rating on the reports up to the end of the year (reports as `current_versions`
    orders them)."""
    latest, previous = latest_and_previous([r for r in reports if r.year <= year])
    return rate(organization, latest, previous)


def yearly(reports: list[CooperativeReport], year: int, name: str) -> int | None:
    """A money figure for a whole year: the year's report, else the sum of its halves."""
    annual = [r for r in reports if r.year == year and r.half == 0]
    if annual:
        return getattr(annual[-1], name)
    halves = [getattr(r, name) for r in reports if r.year == year and r.half != 0]
    known = [v for v in halves if v is not None]
    return sum(known) if known else None


@dataclass
class Standing:
    """One cooperative as monitoring sees it."""

    organization: Organization
    rating: Rating
    alerts: list[Alert]
    reports: list[CooperativeReport] = field(default_factory=list)

    # Computed once: a dashboard reads these for every cooperative, several times a page.
    @cached_property
    def risk(self) -> int:
        return risk_score(self.alerts)

    @property
    def at_risk(self) -> bool:
        return self.organization.status != Organization.Status.DISSOLVED and self.risk >= 20

    @property
    def healthy(self) -> bool:
        return self.rating.grade in (Grade.GOOD, Grade.FAIR) and not self.at_risk

    @property
    def latest(self) -> CooperativeReport | None:
        return self.reports[-1] if self.reports else None

    @cached_property
    def support_total(self) -> int:
        years = {r.year for r in self.reports}
        return sum(yearly(self.reports, y, "support_received") or 0 for y in years)


def standing(
    organization: Organization,
    reports: list[CooperativeReport] | None = None,
    *,
    on: date | None = None,
    figures: Figures | None = None,
) -> Standing:
    on = on or timezone.localdate()
    if reports is None:
        reports = list(CooperativeReport.objects.filter(organization=organization))
    ordered = current_versions(reports)
    latest, previous = latest_and_previous(ordered)
    return Standing(
        organization=organization,
        rating=rate(organization, latest, previous),
        alerts=alerts_for(organization, latest, previous, on=on, figures=figures),
        reports=ordered,
    )


def report_history(user: Any, organization: Organization) -> list[CooperativeReport]:
    """Every version of every report, newest first, as the user may see them."""
    return list(
        scope(CooperativeReport.objects.filter(organization=organization), user).select_related(
            "submitted_by"
        )
    )


@dataclass(frozen=True)
class TargetStanding:
    target: ProvinceTarget
    value: Decimal | None  # percent
    numerator: Any
    denominator: Any
    year: int | None
    definition: str
    missing: str = ""

    @property
    def met(self) -> bool:
        return self.value is not None and self.value >= self.target.target_percent

    @property
    def bar_width(self) -> int:
        return _bar(self.value)

    @property
    def target_x(self) -> int:
        return _bar(self.target.target_percent)


BAR_PX = 300


def _bar(percent: Decimal | None) -> int:
    if percent is None:
        return 0
    return int(min(Decimal(100), max(Decimal(0), percent)) * BAR_PX / 100)


def _percent(part: int | float, whole: int | float) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class CommuneLinkage:
    ward: AdminUnit
    models: int
    cooperatives: int


@dataclass
class ProvinceDashboard:
    province: AdminUnit
    standings: list[Standing]
    targets: list[TargetStanding]
    by_status: dict[str, int]
    by_grade: list[tuple[str, int]]
    lagging_communes: list[CommuneLinkage]
    communes_total: int
    communes_without_models: int
    output_trend: list[tuple[int, Decimal | None]]

    @cached_property
    def at_risk(self) -> list[Standing]:
        return sorted((s for s in self.standings if s.at_risk), key=lambda s: -s.risk)

    @cached_property
    def healthy(self) -> list[Standing]:
        return [s for s in self.standings if s.healthy]

    @cached_property
    def support(self) -> list[Standing]:
        return sorted(
            (s for s in self.standings if s.support_total), key=lambda s: -s.support_total
        )

    @property
    def support_total(self) -> int:
        return sum(s.support_total for s in self.standings)

    @property
    def trend_rows(self) -> list[dict[str, Any]]:
        """One bar per year, laid out for the SVG chart."""
        return [
            {"year": year, "share": share, "y": i * 22, "width": _bar(share)}
            for i, (year, share) in enumerate(self.output_trend)
        ]

    @property
    def trend_height(self) -> int:
        return len(self.output_trend) * 22


def province_standings(province_code: str, *, on: date) -> list[Standing]:
    """Every cooperative of the province with its rating and warnings, by name."""
    cooperatives = list(
        Organization.objects.filter(province_id=province_code, kind__in=COOPERATIVE_KINDS)
        .select_related("ward")
        .order_by("name")
    )
    reports = _reports_of_province(province_code)
    # Households and deliveries are counted once for the whole province, from the kept rows.
    figures = kept_figures(cooperatives, on=on)
    return [standing(c, reports[c.pk], on=on, figures=figures[c.pk]) for c in cooperatives]


# What the dashboard reads of a report: its period and figures. The rest loads on access.
_DASHBOARD_COLUMNS = ("id", "organization_id", "year", "half", "version", *REPORT_FIELDS)


def _reports_of_province(province_code: str) -> dict[int, list[CooperativeReport]]:
    """Every report of the province's cooperatives, per cooperative.

    A province holds tens of thousands of reports, and building each through the model's
    constructor costs more than reading it; the rows are set on the instances directly, as
    the ORM itself sets deferred fields.
    """
    found: dict[int, list[CooperativeReport]] = defaultdict(list)
    rows = (
        CooperativeReport.objects.filter(
            organization__province_id=province_code, organization__kind__in=COOPERATIVE_KINDS
        )
        .order_by()
        .values_list(*_DASHBOARD_COLUMNS)
    )
    db = rows.db
    for row in rows:
        report = CooperativeReport.__new__(CooperativeReport)
        report.__dict__.update(zip(_DASHBOARD_COLUMNS, row, strict=True))
        report._state = ModelState()
        report._state.adding, report._state.db = False, db
        found[report.organization_id].append(report)
    return found


def status_counts(standings: list[Standing]) -> dict[str, int]:
    counts = dict.fromkeys(Organization.Status.values, 0)
    for s in standings:
        counts[s.organization.status] += 1
    return counts


def grade_counts(standings: list[Standing]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(GRADE_LABELS, 0)
    for s in standings:
        counts[s.rating.grade] += 1
    return counts


def linkage_models_per_ward(province_code: str) -> dict[str, int]:
    """Active linkage models per commune/ward of the province, for wards that have any."""
    return dict(
        LinkageModel.objects.filter(province_id=province_code, status=LinkageModel.Status.ACTIVE)
        .order_by()
        .values_list("ward_id")
        .annotate(n=Count("pk"))
    )


def province_outputs(province_code: str) -> dict[int, int]:
    """The province's agricultural output value per year, as entered."""
    return {
        o.year: o.agricultural_output_value
        for o in ProvinceOutput.objects.filter(province_id=province_code)
    }


def province_dashboard(province_code: str, *, on: date | None = None) -> ProvinceDashboard:
    """The province at a glance for its officers: targets, communes, cooperatives, support."""
    on = on or timezone.localdate()
    province = AdminUnit.objects.get(code=province_code, level=AdminUnit.Level.PROVINCE)
    standings = province_standings(province_code, on=on)
    cooperatives = [s.organization for s in standings]
    by_status = status_counts(standings)
    grades = grade_counts(standings)

    wards = AdminUnit.objects.filter(province_id=province_code, level=AdminUnit.Level.WARD)
    models_per_ward = linkage_models_per_ward(province_code)
    coops_per_ward: dict[str, int] = defaultdict(int)
    for c in cooperatives:
        if c.ward_id and c.status == Organization.Status.ACTIVE:
            coops_per_ward[c.ward_id] += 1
    targets = list(ProvinceTarget.objects.filter(province_id=province_code))
    per_commune = max((t.per_commune for t in targets), default=2) or 2
    lagging = [
        CommuneLinkage(w, models_per_ward.get(w.code, 0), coops_per_ward[w.code])
        for w in wards.filter(Q(code__in=coops_per_ward) | Q(code__in=models_per_ward))
        if models_per_ward.get(w.code, 0) < per_commune
    ]
    communes_total = wards.count()
    outputs = province_outputs(province_code)
    trend = [(year, output_share(standings, year, outputs[year])[0]) for year in sorted(outputs)]
    dashboard = ProvinceDashboard(
        province=province,
        standings=standings,
        targets=[],
        by_status=by_status,
        by_grade=[(str(GRADE_LABELS[g]), n) for g, n in grades.items() if n],
        lagging_communes=sorted(lagging, key=lambda c: (c.models, c.ward.name)),
        communes_total=communes_total,
        communes_without_models=communes_total - len(models_per_ward),
        output_trend=trend,
    )
    dashboard.targets = [_target_standing(t, dashboard, models_per_ward, outputs) for t in targets]
    return dashboard


def output_share(standings: list[Standing], year: int, total: int) -> tuple[Decimal | None, int]:
    """The share of the province's output value its cooperatives reported for the year, and
    their sum."""
    through = sum(yearly(s.reports, year, "output_value") or 0 for s in standings)
    return _percent(through, total), through


def rated_good(standings: list[Standing]) -> tuple[int, int]:
    """Active cooperatives rated good or fair, and all active ones rated."""
    active = [s for s in standings if s.organization.status == Organization.Status.ACTIVE]
    rated = [s for s in active if s.rating.score is not None]
    good = [s for s in rated if s.rating.grade in (Grade.GOOD, Grade.FAIR)]
    return len(good), len(rated)


def latest_showing(standings: list[Standing], flag: str) -> tuple[int, int]:
    """Active cooperatives whose latest report shows `flag`, and all active ones."""
    active = [s for s in standings if s.organization.status == Organization.Status.ACTIVE]
    having = [s for s in active if s.latest is not None and getattr(s.latest, flag)]
    return len(having), len(active)


def communes_with_enough_models(models_per_ward: dict[str, int], per_commune: int) -> int:
    return sum(1 for n in models_per_ward.values() if n >= per_commune)


def _target_standing(
    target: ProvinceTarget,
    dashboard: ProvinceDashboard,
    models_per_ward: dict[str, int],
    outputs: dict[int, int],
) -> TargetStanding:
    measure = target.measure
    if measure == ProvinceTarget.Measure.OUTPUT_SHARE:
        definition = _(
            "Output value reported by the province's cooperatives for the year, against the "
            "province's agricultural output value for that year."
        )
        if not outputs:
            return TargetStanding(
                target, None, None, None, None, definition,
                _("The province's agricultural output value has not been entered for any year."),
            )  # fmt: skip
        year = max(outputs)
        value, through = output_share(dashboard.standings, year, outputs[year])
        return TargetStanding(target, value, through, outputs[year], year, definition)
    if measure == ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES:
        enough = communes_with_enough_models(models_per_ward, target.per_commune)
        definition = _(
            "Communes/wards with at least %(n)s active production–consumption linkage models, "
            "against all communes/wards of the province."
        ) % {"n": target.per_commune}
        return TargetStanding(
            target,
            _percent(enough, dashboard.communes_total),
            enough,
            dashboard.communes_total,
            None,
            definition,
        )
    if measure == ProvinceTarget.Measure.GOOD_SHARE:
        good, rated = rated_good(dashboard.standings)
        definition = _("Active cooperatives rated good or fair, against all rated ones.")
        return TargetStanding(target, _percent(good, rated), good, rated, None, definition)
    flag = (
        "traceability_in_use"
        if measure == ProvinceTarget.Measure.TRACEABILITY_SHARE
        else "brand_registered"
    )
    having, active = latest_showing(dashboard.standings, flag)
    definition = (
        _("Active cooperatives whose latest report shows traceability in use, against all active.")
        if flag == "traceability_in_use"
        else _("Active cooperatives whose latest report shows a registered brand, against all.")
    )
    return TargetStanding(target, _percent(having, active), having, active, None, definition)


@dataclass(frozen=True)
class ProvinceAggregates:
    """What any cooperative of a province may read about it: counts and targets, never another
    cooperative's name or figures."""

    province: AdminUnit
    by_status: dict[str, int]
    healthy: int
    at_risk: int
    targets: list[TargetStanding]
    communes_total: int
    communes_without_models: int


def province_aggregates(province_code: str, *, on: date | None = None) -> ProvinceAggregates:
    dashboard = province_dashboard(province_code, on=on)
    return ProvinceAggregates(
        province=dashboard.province,
        by_status=dashboard.by_status,
        healthy=len(dashboard.healthy),
        at_risk=len(dashboard.at_risk),
        targets=dashboard.targets,
        communes_total=dashboard.communes_total,
        communes_without_models=dashboard.communes_without_models,
    )
