"""EUDR due diligence for a shipped lot: every plot of origin checked before anything is
exported, and the statement's data with its geolocation file(s) once all of them pass.

Per plot (EUDR Art. 9(1) and 10):
- geolocation, as `coopchain.lib.eudr.prepare_plot` makes it (rounded, re-checked, holes
  split, the 4 ha point rule), and duplicates or overlaps with the statement's other plots;
- deforestation-free: the declared land-use history must say what the land was on the
  cut-off date (31 December 2020), and it may not have been natural forest then, nor have
  had forest cleared for it after that day; a satellite-based result imported as data counts
  too (high risk fails, none or "needs review" is a warning);
- legality: the land-use right certificate reference (a warning when missing: many
  smallholders farm without one, and the operator must then document the right otherwise).
A harvest lot without a plot is refused by name. Nothing is exported while any plot fails.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.compliance.models import LandUseRecord, RiskResult
from coopchain.compliance.origins import Origin, Origins, origins_of
from coopchain.errors import FieldError
from coopchain.land.findings import reason as finding_reason
from coopchain.land.models import Plot
from coopchain.lib import eudr
from coopchain.lib.geometry import Finding
from coopchain.trace.models import Lot

OK = "ok"
WARNING = "warning"
FAIL = "fail"


@dataclass
class Check:
    """One line of a plot's result: what was checked, its status and why."""

    topic: str  # geolocation, deforestation, legality, production
    status: str
    reason: str

    @property
    def failed(self) -> bool:
        return self.status == FAIL


@dataclass
class PlotCheck:
    key: str
    plot: Plot | None
    origins: list[Origin]
    checks: list[Check] = field(default_factory=list)
    prepared: eudr.PreparedPlot | None = None
    land_use_on_cutoff: LandUseRecord | None = None
    risk: RiskResult | None = None

    @property
    def failed(self) -> bool:
        return any(c.failed for c in self.checks)

    @property
    def status(self) -> str:
        if self.failed:
            return FAIL
        return WARNING if any(c.status == WARNING for c in self.checks) else OK

    def status_of(self, topic: str) -> str:
        statuses = [c.status for c in self.checks if c.topic == topic]
        if FAIL in statuses:
            return FAIL
        return WARNING if WARNING in statuses else OK

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.failed]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.status == WARNING]


@dataclass
class DueDiligence:
    lot: Lot
    origins: Origins
    hs_code: str
    heading: eudr.Heading | None
    plots: list[PlotCheck]
    statement_checks: list[Check] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def commodity(self) -> str:
        return self.heading.commodity if self.heading else ""

    @property
    def covered(self) -> bool:
        return self.heading is not None

    @property
    def failed_plots(self) -> list[PlotCheck]:
        return [p for p in self.plots if p.failed]

    @property
    def ready(self) -> bool:
        return (
            self.covered
            and bool(self.plots)
            and not self.failed_plots
            and not any(c.failed for c in self.statement_checks)
        )

    @property
    def features(self) -> list[dict[str, Any]]:
        return [f for p in self.plots if p.prepared for f in p.prepared.features]

    @property
    def producers(self) -> int:
        return len({p.plot.member_id for p in self.plots if p.plot is not None})

    @property
    def area_ha(self) -> Decimal:
        return sum((p.plot.area_ha for p in self.plots if p.plot is not None), Decimal(0))

    def field_errors(self) -> list[FieldError]:
        """Every reason nothing may be exported, in the project's error shape."""
        errors = [FieldError("statement", c.reason) for c in self.statement_checks if c.failed]
        if not self.covered:
            errors.append(
                FieldError(
                    "hs_code",
                    _("%(code)s is not a commodity of the EUDR (Annex I)")
                    % {"code": self.hs_code or "—"},
                    self.hs_code,
                )
            )
        if not self.plots:
            errors.append(FieldError("lot", _("no plot of origin was found in the trace")))
        for plot in self.failed_plots:
            for check in plot.failures:
                errors.append(FieldError(f"plots.{plot.key}", check.reason, plot.key))
        return errors


def lot_hs_code(lot: Lot, origins: Origins) -> str:
    """The lot's HS code: its product's, else the heading of the crops it was harvested as."""
    if lot.product is not None and lot.product.hs_code:
        return lot.product.hs_code
    headings = {o.crop.hs_heading for o in origins.origins if o.crop and o.crop.hs_heading}
    return headings.pop() if len(headings) == 1 else ""


def check_lot(lot: Lot, *, hs_code: str = "") -> DueDiligence:
    """Every plot of origin of `lot`, checked as the EUDR asks (see the module docstring)."""
    origins = origins_of(lot)
    hs_code = hs_code or lot_hs_code(lot, origins)
    heading = eudr.annex_heading(hs_code)
    plots = origins.plots
    several = len({p.organization_id for p in plots}) > 1
    keys = {p.pk: _key(p, several) for p in plots}
    history = _land_use(plots)
    risks = _latest_risks(plots)
    checks: list[PlotCheck] = []
    for origin in origins.without_plot:
        checks.append(
            PlotCheck(
                key=_("harvest lot %(lot)s") % {"lot": origin.label},
                plot=None,
                origins=[origin],
                checks=[
                    Check(
                        "geolocation",
                        FAIL,
                        _(
                            "harvest lot %(lot)s names no plot, so it has no geolocation: "
                            "record which plot it was harvested on"
                        )
                        % {"lot": origin.label},
                    )
                ],
            )
        )
    for plot in plots:
        origin_lots = origins.lots_of(plot)
        check = PlotCheck(key=keys[plot.pk], plot=plot, origins=origin_lots)
        check.prepared = eudr.prepare_plot(_place(plot, keys[plot.pk], heading))
        check.checks += [
            Check("geolocation", FAIL if f.is_error else WARNING, _reason(f))
            for f in check.prepared.findings
        ]
        _deforestation(check, history.get(plot.pk, []), risks.get(plot.pk))
        _legality(check)
        _production(check)
        checks.append(check)
    by_key = {c.key: c for c in checks}
    for key, found in eudr.between_plots(
        [c.prepared for c in checks if c.prepared is not None]
    ).items():
        by_key[key].checks += [
            Check("geolocation", FAIL if f.is_error else WARNING, _reason(f)) for f in found
        ]
    result = DueDiligence(lot, origins, hs_code, heading, checks)
    result.statement_checks = [
        Check("statement", FAIL, _reason(f))
        for f in eudr.producer_findings([c.prepared for c in checks if c.prepared])
    ]
    if result.ready:
        _files(result)
    return result


def _key(plot: Plot, several_cooperatives: bool) -> str:
    if not several_cooperatives:
        return plot.code
    return f"{plot.code} ({plot.organization.short_name or plot.organization.name})"


def _place(plot: Plot, key: str, heading: eudr.Heading | None) -> eudr.PlotPlace:
    ward = plot.ward or plot.member.ward
    return eudr.PlotPlace(
        key=key,
        geometry=plot.geometry,
        area_ha=plot.area_ha,
        producer_name=plot.member.head_of_household,
        production_place=str(ward) if ward else plot.organization.name,
        producer_key=str(plot.member_id),
        commodity=heading.commodity if heading else "",
        cattle=bool(heading and heading.commodity == "cattle"),
    )


def _reason(finding: Finding) -> str:
    return finding_reason(finding)


def _land_use(plots: Iterable[Plot]) -> dict[int, list[LandUseRecord]]:
    history: dict[int, list[LandUseRecord]] = defaultdict(list)
    for record in LandUseRecord.objects.filter(plot__in=list(plots)).order_by(
        "since", "recorded_at", "pk"
    ):
        history[record.plot_id].append(record)
    return history


def _latest_risks(plots: Iterable[Plot]) -> dict[int, RiskResult]:
    latest: dict[int, RiskResult] = {}
    for result in RiskResult.objects.filter(plot__in=list(plots)).order_by(
        "plot_id", "-assessed_on", "-pk"
    ):
        latest.setdefault(result.plot_id, result)
    return latest


def use_on(records: list[LandUseRecord], day) -> LandUseRecord | None:
    """The declared use in force on `day` (the latest step starting on or before it; of two
    steps from the same day, the one recorded last)."""
    before = [r for r in records if r.since <= day]
    return before[-1] if before else None


def _deforestation(check: PlotCheck, records: list[LandUseRecord], risk: RiskResult | None) -> None:
    cutoff = eudr.CUTOFF_DATE
    shown = {"cutoff": _("31 December 2020")}
    if not records:
        check.checks.append(
            Check(
                "deforestation",
                FAIL,
                _("no land-use history is declared: record what the land was on %(cutoff)s")
                % shown,
            )
        )
    else:
        at_cutoff = use_on(records, cutoff)
        check.land_use_on_cutoff = at_cutoff
        if at_cutoff is None:
            check.checks.append(
                Check(
                    "deforestation",
                    FAIL,
                    _(
                        "the declared history starts on %(since)s, after %(cutoff)s: record "
                        "what the land was on the cut-off date"
                    )
                    % {**shown, "since": records[0].since.isoformat()},
                )
            )
        elif at_cutoff.is_forest:
            now = records[-1]
            check.checks.append(
                Check(
                    "deforestation",
                    FAIL,
                    _("was natural forest on %(cutoff)s and is %(use)s since %(since)s")
                    % {**shown, "use": now.get_use_display(), "since": now.since.isoformat()},
                )
            )
        for record in records:
            if record.since > cutoff and record.cleared_forest:
                area = (
                    _(" (%(area)s ha)") % {"area": f"{record.cleared_area_ha.normalize():f}"}
                    if record.cleared_area_ha
                    else ""
                )
                check.checks.append(
                    Check(
                        "deforestation",
                        FAIL,
                        _(
                            "forest was cleared on %(since)s for %(use)s%(area)s: deforestation "
                            "after %(cutoff)s"
                        )
                        % {
                            **shown,
                            "since": record.since.isoformat(),
                            "use": record.get_use_display(),
                            "area": area,
                        },
                    )
                )
    check.risk = risk
    if risk is None:
        check.checks.append(
            Check(
                "deforestation",
                WARNING,
                _("no satellite-based risk result has been imported for this plot"),
            )
        )
    elif risk.level == RiskResult.Level.HIGH:
        check.checks.append(
            Check(
                "deforestation",
                FAIL,
                _("satellite analysis %(source)s of %(date)s finds forest loss after %(cutoff)s")
                % {**shown, "source": risk.source, "date": risk.assessed_on.isoformat()},
            )
        )
    elif risk.level == RiskResult.Level.MEDIUM:
        check.checks.append(
            Check(
                "deforestation",
                WARNING,
                _("satellite analysis %(source)s of %(date)s asks for a review")
                % {"source": risk.source, "date": risk.assessed_on.isoformat()},
            )
        )


def _legality(check: PlotCheck) -> None:
    if check.plot is not None and not check.plot.land_certificate_ref:
        check.checks.append(
            Check(
                "legality",
                WARNING,
                _(
                    "no land-use right certificate (sổ đỏ) is recorded: keep other proof of "
                    "the household's right to farm the plot"
                ),
            )
        )


def _production(check: PlotCheck) -> None:
    early = [o for o in check.origins if o.harvested_on and o.harvested_on <= eudr.CUTOFF_DATE]
    for origin in early:
        check.checks.append(
            Check(
                "production",
                WARNING,
                _("harvest lot %(lot)s was harvested on %(date)s, before the cut-off date")
                % {"lot": origin.label, "date": origin.harvested_on.isoformat()},
            )
        )


def _files(result: DueDiligence) -> None:
    keys = [p.key for p in result.plots for _f in (p.prepared.features if p.prepared else ())]
    try:
        result.files = eudr.split_files(result.features, keys=keys)
    except eudr.FileTooLarge as too_large:
        result.statement_checks.append(
            Check(
                "statement",
                FAIL,
                _("plot %(plot)s alone is larger than the %(limit)s MB upload limit")
                % {"plot": too_large.key, "limit": eudr.MAX_GEOLOCATION_BYTES // (1024 * 1024)},
            )
        )


@dataclass(frozen=True)
class Commodity:
    """One commodity of a statement: its checked lot, what it is and how much of it, and the
    names of its own geolocation file(s)."""

    result: DueDiligence
    description: str
    net_mass_kg: Decimal
    file_names: list[str]


def statement_data(
    commodities: list[Commodity],
    *,
    operator: Any,
    reference: str,
    activity: str,
    upstream_references: list[dict[str, str]],
) -> dict[str, Any]:
    """The statement's data as the EU information system's form asks for it (one entry per
    HS code with its own geolocation), with the per-plot risk table behind it."""
    first = commodities[0].result.lot
    return {
        "regulation": eudr.REGULATION,
        "reference": reference,
        "preparedAt": timezone.now().isoformat(timespec="seconds"),
        "operator": {
            "name": operator.name,
            "taxCode": operator.tax_code,
            "address": operator.address or (str(operator.ward) if operator.ward else ""),
            "country": eudr.VIET_NAM,
        },
        "activity": activity,
        "commodities": [
            {
                "commodity": c.result.commodity,
                "hsHeading": eudr.hs_digits(c.result.hs_code),
                "description": c.description,
                "netMassKg": float(c.net_mass_kg),
                "countryOfProduction": eudr.VIET_NAM,
                "producers": c.result.producers,
                "plots": len(c.result.plots),
                "areaHa": float(c.result.area_ha),
                "geolocationFiles": c.file_names,
                "lot": {"identifier": c.result.lot.epc, "lotNumber": c.result.lot.lot_number},
            }
            for c in commodities
        ],
        "upstreamStatements": upstream_references,
        "lot": {"identifier": first.epc, "lotNumber": first.lot_number},
        "riskTable": [
            {**risk_row(p), "hsHeading": eudr.hs_digits(c.result.hs_code)}
            for c in commodities
            for p in c.result.plots
        ],
    }


def risk_row(check: PlotCheck) -> dict[str, Any]:
    plot = check.plot
    cutoff_use = check.land_use_on_cutoff
    return {
        "plot": check.key,
        "producer": plot.member.head_of_household if plot else "",
        "areaHa": float(plot.area_ha) if plot else None,
        "harvestLots": [o.label for o in check.origins],
        "landUseOnCutoff": cutoff_use.use if cutoff_use else None,
        "landCertificate": plot.land_certificate_ref if plot else "",
        "satellite": (
            {
                "level": check.risk.level,
                "source": check.risk.source,
                "assessedOn": check.risk.assessed_on.isoformat(),
            }
            if check.risk
            else None
        ),
        "geolocation": check.status_of("geolocation"),
        "deforestationFree": check.status_of("deforestation") != FAIL,
        "legality": check.status_of("legality"),
        "status": check.status,
        "reasons": [c.reason for c in check.checks if c.status != OK],
    }
