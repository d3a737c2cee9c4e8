"""Reads behind the drill-down: a commune's cooperatives and indicators, a cooperative's years,
contracts and support, and each target's trend year by year.

Built on the dashboard's own figures (`selectors`), so a commune's numbers add up to the
province's. Officers see aggregates and cooperatives' names, never a member's personal data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopchain.errors import NotFound
from coopchain.monitoring.charts import tile_map, trend_chart
from coopchain.monitoring.indicators import YearRating, kept_year_ratings
from coopchain.monitoring.models import (
    CooperativeReport,
    LinkageModel,
    ProvinceTarget,
    SupportAllocation,
)
from coopchain.monitoring.rating import Grade
from coopchain.monitoring.selectors import (
    BAR_PX,
    COOPERATIVE_KINDS,
    ProvinceDashboard,
    Standing,
    rating_in_year,
    standing,
    yearly,
)
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import scope


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


# --- A commune --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    label: str
    value: Any
    definition: str


@dataclass
class Commune:
    ward: AdminUnit
    standings: list[Standing]
    linkage_models: list[LinkageModel]
    per_commune: int
    year: int | None
    indicators: list[Indicator] = field(default_factory=list)

    @property
    def at_risk(self) -> list[Standing]:
        return sorted((s for s in self.standings if s.at_risk), key=lambda s: -s.risk)

    @property
    def active_models(self) -> list[LinkageModel]:
        return [m for m in self.linkage_models if m.status == LinkageModel.Status.ACTIVE]

    @property
    def lags(self) -> bool:
        return len(self.active_models) < self.per_commune


def province_ward(province_code: str, ward_code: str) -> AdminUnit:
    """A commune/ward of the officer's province; any other code is "not found"."""
    ward = AdminUnit.objects.filter(
        code=ward_code, level=AdminUnit.Level.WARD, province_id=province_code
    ).first()
    if ward is None:
        raise NotFound(detail=_("No commune/ward of your province matches."))
    return ward


def commune(user: Any, ward: AdminUnit, *, on: date | None = None) -> Commune:
    """One commune as its province's officer sees it: cooperatives, linkage models, indicators."""
    on = on or timezone.localdate()
    cooperatives = list(
        scope(Organization.objects.filter(ward=ward, kind__in=COOPERATIVE_KINDS), user)
        .select_related("ward")
        .order_by("name")
    )
    reports: dict[int, list[CooperativeReport]] = defaultdict(list)
    for report in CooperativeReport.objects.filter(organization__in=cooperatives):
        reports[report.organization_id].append(report)
    standings = [standing(c, reports[c.pk], on=on) for c in cooperatives]
    models = list(
        scope(LinkageModel.objects.filter(ward=ward), user)
        .select_related("cooperative", "enterprise")
        .prefetch_related("partners", "contracts")
    )
    per_commune = (
        ProvinceTarget.objects.filter(
            province_id=ward.province_id, measure=ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES
        )
        .values_list("per_commune", flat=True)
        .first()
    ) or 2
    years = [r.year for rs in reports.values() for r in rs]
    result = Commune(ward, standings, models, per_commune, max(years) if years else None)
    result.indicators = _commune_indicators(result)
    return result


def _commune_indicators(commune: Commune) -> list[Indicator]:
    active = [s for s in commune.standings if s.organization.status == Organization.Status.ACTIVE]
    rated = [s for s in active if s.rating.score is not None]
    good = [s for s in rated if s.rating.grade in (Grade.GOOD, Grade.FAIR)]
    traced = [s for s in active if s.latest is not None and s.latest.traceability_in_use]
    branded = [s for s in active if s.latest is not None and s.latest.brand_registered]
    year = commune.year
    output = (
        sum(yearly(s.reports, year, "output_value") or 0 for s in commune.standings) if year else 0
    )
    linked = (
        sum(yearly(s.reports, year, "linkage_output_value") or 0 for s in commune.standings)
        if year
        else 0
    )
    return [
        Indicator(
            _("Active linkage models"),
            f"{len(commune.active_models)} / {commune.per_commune}",
            _("Active production–consumption linkage models in the commune, against the target."),
        ),
        Indicator(
            _("Active cooperatives"),
            len(active),
            _("Cooperatives and cooperative groups registered here and operating."),
        ),
        Indicator(
            _("Rated good or fair (%)"),
            _percent(len(good), len(rated)),
            _("Active cooperatives rated good or fair, against all rated ones."),
        ),
        Indicator(
            _("Traceability in use (%)"),
            _percent(len(traced), len(active)),
            _("Active cooperatives whose latest report shows traceability in use."),
        ),
        Indicator(
            _("Registered brand (%)"),
            _percent(len(branded), len(active)),
            _("Active cooperatives whose latest report shows a registered brand."),
        ),
        Indicator(
            _("Output value (VND)"),
            output,
            _("Output value the commune's cooperatives reported for %(year)s.")
            % {"year": year or "—"},
        ),
        Indicator(
            _("Through linkage contracts (%)"),
            _percent(linked, output),
            _("Share of that output value sold through linkage contracts."),
        ),
    ]


# --- A cooperative ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractSummary:
    """A cooperative's linkage contracts with one buyer for one commodity, added up."""

    buyer: str
    commodity: str
    contracts: int
    contracted_kg: Decimal
    delivered_kg: Decimal
    delivered_value: int


def contract_summaries(organization: Organization) -> list[ContractSummary]:
    """What the cooperative sells under contract, by buyer and commodity: totals, not contracts.

    Officers see these totals for the cooperatives of their province; the contracts themselves
    stay with their parties.
    """
    from coopchain.contracts.models import ContractDelivery, LinkageContract

    contracts = (
        LinkageContract.objects.filter(seller=organization)
        .exclude(status=LinkageContract.Status.DRAFT)
        .values("buyer__name", "commodity")
        .annotate(n=Count("pk"), kg=Sum("quantity_kg"))
        .order_by("buyer__name", "commodity")
    )
    delivered = {
        (row["contract__buyer__name"], row["contract__commodity"]): row
        for row in ContractDelivery.objects.filter(contract__seller=organization)
        .exclude(contract__status=LinkageContract.Status.DRAFT)
        .values("contract__buyer__name", "contract__commodity")
        .annotate(kg=Sum("quantity_kg"), value=Sum("amount"))
    }
    summaries = []
    for row in contracts:
        done = delivered.get((row["buyer__name"], row["commodity"]), {})
        summaries.append(
            ContractSummary(
                buyer=row["buyer__name"],
                commodity=row["commodity"],
                contracts=row["n"],
                contracted_kg=row["kg"] or Decimal(0),
                delivered_kg=done.get("kg") or Decimal(0),
                delivered_value=done.get("value") or 0,
            )
        )
    return summaries


def linkage_models_of(user: Any, organization: Organization) -> list[LinkageModel]:
    return list(
        scope(
            LinkageModel.objects.filter(
                Q(cooperative=organization) | Q(partners=organization)
            ).distinct(),
            user,
        ).select_related("ward", "enterprise")
    )


def support_allocations(user: Any, organization: Organization) -> list[SupportAllocation]:
    return list(
        scope(SupportAllocation.objects.filter(beneficiary=organization), user).select_related(
            "programme"
        )
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    revenue: int | None
    profit: int | None
    output_value: int | None
    linkage_output_value: int | None
    support_received: int | None


def figures_by_year(reports: list[CooperativeReport]) -> list[YearFigures]:
    """Each year's money figures: the year's report, else its halves added up."""
    return [
        YearFigures(
            year,
            *(
                yearly(reports, year, name)
                for name in (
                    "revenue",
                    "profit",
                    "output_value",
                    "linkage_output_value",
                    "support_received",
                )
            ),
        )
        for year in sorted({r.year for r in reports})
    ]


# --- Trends -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    target: ProvinceTarget
    points: list[tuple[int, Decimal | None]]
    definition: str


def target_trends(dashboard: ProvinceDashboard) -> list[Trend]:
    """Every target's value year by year, from the first reported year to the last."""
    years = sorted({r.year for s in dashboard.standings for r in s.reports})
    years = sorted(set(years) | {y for y, _v in dashboard.output_trend})
    if not years:
        return []
    models = list(
        LinkageModel.objects.filter(
            province_id=dashboard.province.code, status=LinkageModel.Status.ACTIVE
        ).values_list("ward_id", "started_on")
    )
    output = dict(dashboard.output_trend)
    # Ratings year by year from the kept rows; a cooperative without them is rated here.
    ratings = kept_year_ratings([s.organization.pk for s in dashboard.standings])
    trends = []
    for target in ProvinceTarget.objects.filter(province=dashboard.province):
        measure = target.measure
        points: list[tuple[int, Decimal | None]] = []
        for year in years:
            if measure == ProvinceTarget.Measure.OUTPUT_SHARE:
                points.append((year, output.get(year)))
            elif measure == ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES:
                per_ward: dict[str, int] = defaultdict(int)
                for ward_id, started_on in models:
                    if started_on.year <= year:
                        per_ward[ward_id] += 1
                enough = sum(1 for n in per_ward.values() if n >= target.per_commune)
                points.append((year, _percent(enough, dashboard.communes_total)))
            else:
                points.append((year, _share_in_year(dashboard.standings, year, measure, ratings)))
        trends.append(Trend(target, points, _trend_definition(measure)))
    return trends


def _share_in_year(
    standings: list[Standing], year: int, measure: str, ratings: dict[tuple[int, int], YearRating]
) -> Decimal | None:
    """Among cooperatives that reported for the year, the share meeting the measure then."""
    having = whole = 0
    for s in standings:
        in_year = [r for r in s.reports if r.year == year]
        if not in_year:
            continue
        if measure == ProvinceTarget.Measure.GOOD_SHARE:
            kept = ratings.get((s.organization.pk, year))
            if kept is None:
                rating = rating_in_year(s.organization, s.reports, year)
                kept = (rating.grade, rating.score)
            grade, score = kept
            if score is None:
                continue
            whole += 1
            having += grade in (Grade.GOOD, Grade.FAIR)
            continue
        flag = (
            "traceability_in_use"
            if measure == ProvinceTarget.Measure.TRACEABILITY_SHARE
            else "brand_registered"
        )
        whole += 1
        having += bool(getattr(in_year[-1], flag))
    return _percent(having, whole)


def _trend_definition(measure: str) -> str:
    if measure == ProvinceTarget.Measure.OUTPUT_SHARE:
        return _("Each year with the province's output value entered.")
    if measure == ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES:
        return _("Active linkage models counted from the year they started.")
    return _("Each year, among the cooperatives that reported for it.")


# --- The map of communes ----------------------------------------------------------------------

# Indicator -> (what a tile counts, the counts from which a tile takes colour 1, 2 and 3, and
# whether more is worse).
MAP_INDICATORS: dict[str, tuple[Promise, tuple[int, int, int], bool]] = {
    "models": (gettext_lazy("active linkage models"), (1, 2, 3), False),
    "cooperatives": (gettext_lazy("active cooperatives"), (1, 2, 4), False),
    "at_risk": (gettext_lazy("cooperatives at risk"), (1, 2, 3), True),
}


@dataclass(frozen=True)
class Tile:
    ward: AdminUnit
    value: int
    level: int  # 0..3, the colour class


def commune_tiles(dashboard: ProvinceDashboard, indicator: str) -> list[Tile]:
    """Every commune/ward of the province with its count for the indicator, by name."""
    wards = AdminUnit.objects.filter(
        province_id=dashboard.province.code, level=AdminUnit.Level.WARD
    ).order_by("name")
    values: dict[str, int] = defaultdict(int)
    if indicator == "models":
        for row in (
            LinkageModel.objects.filter(
                province_id=dashboard.province.code, status=LinkageModel.Status.ACTIVE
            )
            .values("ward_id")
            .annotate(n=Count("pk"))
        ):
            values[row["ward_id"]] = row["n"]
    else:
        for s in dashboard.standings:
            org = s.organization
            counted = (
                s.at_risk if indicator == "at_risk" else org.status == Organization.Status.ACTIVE
            )
            if org.ward_id and counted:
                values[org.ward_id] += 1
    thresholds = MAP_INDICATORS[indicator][1]
    return [
        Tile(w, values[w.code], sum(1 for t in thresholds if values[w.code] >= t)) for w in wards
    ]


# A province holds hundreds of cooperatives: the dashboard shows this many rows of each list and
# links to the full list page by page; the workbook keeps every row.
DASHBOARD_ROWS = 20


def best_rated(standings: list[Standing]) -> list[Standing]:
    """Highest points first, the unrated last, then by name."""
    return sorted(
        standings,
        key=lambda s: (s.rating.score is None, -(s.rating.score or 0), s.organization.name),
    )


def dashboard_page(dashboard: ProvinceDashboard, indicator: str = "models") -> dict[str, Any]:
    """What the dashboard draws: each target with its trend chart, and the grid of communes."""
    if indicator not in MAP_INDICATORS:
        indicator = "models"
    trends = {t.target.pk: t for t in target_trends(dashboard)}
    targets = []
    for standing_ in dashboard.targets:
        trend = trends.get(standing_.target.pk)
        chart = trend_chart(trend.points, standing_.target.target_percent) if trend else None
        targets.append((standing_, trend, chart))
    what, steps, worse = MAP_INDICATORS[indicator]
    return {
        "dashboard": dashboard,
        "top_rated": best_rated(dashboard.standings)[:DASHBOARD_ROWS],
        "at_risk_rows": dashboard.at_risk[:DASHBOARD_ROWS],
        "support_rows": dashboard.support[:DASHBOARD_ROWS],
        "bar_px": BAR_PX,
        "targets": targets,
        "map": tile_map(commune_tiles(dashboard, indicator)),
        "map_indicator": indicator,
        "map_what": what,
        "map_worse": worse,
        "map_steps": steps,
        "map_choices": [(key, value[0]) for key, value in MAP_INDICATORS.items()],
    }


def model_output_values(models: list[LinkageModel]) -> dict[int, int]:
    """The value delivered under each model's linked contracts (VND), by model."""
    from coopchain.contracts.models import ContractDelivery

    rows = (
        ContractDelivery.objects.filter(contract__linkage_models__in=models)
        .values("contract__linkage_models")
        .annotate(value=Sum("amount"))
    )
    return {row["contract__linkage_models"]: row["value"] or 0 for row in rows}


def contracts_between_parties(model: LinkageModel) -> Any:
    """Signed contracts in which one of the model's cooperatives sells to one of its
    enterprises: the ones that can realise it."""
    from coopchain.contracts.models import LinkageContract

    partners = list(model.partners.all())
    sellers = [model.cooperative_id] + [p.pk for p in partners if p.is_cooperative]
    buyers = [model.enterprise_id] + [p.pk for p in partners if not p.is_cooperative]
    return (
        LinkageContract.objects.filter(seller_id__in=sellers, buyer_id__in=buyers)
        .exclude(status=LinkageContract.Status.DRAFT)
        .select_related("seller", "buyer")
        | LinkageContract.objects.filter(linkage_models=model).select_related("seller", "buyer")
    ).distinct()


@dataclass(frozen=True)
class ProgrammeTotals:
    programme: Any
    allocations: list[SupportAllocation]

    @property
    def committed(self) -> int:
        return sum(a.committed for a in self.allocations)

    @property
    def disbursed(self) -> int:
        return sum(a.disbursed for a in self.allocations)

    @property
    def disbursed_percent(self) -> Decimal | None:
        return _percent(self.disbursed, self.committed)


def programme_totals(programmes: Any) -> list[ProgrammeTotals]:
    return [ProgrammeTotals(p, list(p.allocations.all())) for p in programmes]
