"""The province dashboard's tables as one workbook: a sheet per table, aggregates and
cooperatives' names only, never a member's data."""

import io
from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from coopchain.monitoring.drilldown import ProgrammeTotals, Trend
from coopchain.monitoring.models import LinkageModel
from coopchain.monitoring.selectors import ProvinceDashboard


def _cell(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def dashboard_workbook(
    dashboard: ProvinceDashboard,
    *,
    trends: Sequence[Trend] = (),
    programmes: Sequence[ProgrammeTotals] = (),
    models: Sequence[tuple[LinkageModel, int]] = (),
) -> bytes:
    years = sorted({year for t in trends for year, _v in t.points})
    sheets: list[tuple[str, list[list[object]]]] = [
        (
            _("Targets"),
            [
                [
                    _("Target"),
                    _("Source"),
                    _("By year"),
                    _("Target (%)"),
                    _("Now (%)"),
                    _("Met"),
                    _("Definition"),
                ]
            ]  # fmt: skip
            + [
                [
                    t.target.title,
                    t.target.source,
                    t.target.due_year,
                    t.target.target_percent,
                    t.value,
                    _("yes") if t.met else _("no"),
                    t.definition,
                ]
                for t in dashboard.targets
            ],
        ),
        (
            _("Cooperatives"),
            [
                [
                    _("Cooperative"),
                    _("Commune/ward"),
                    _("Status"),
                    _("Rating"),
                    _("Points"),
                    _("Risk"),
                    _("Why"),
                ]
            ]  # fmt: skip
            + [
                [
                    s.organization.name,
                    s.organization.ward.name if s.organization.ward else "",
                    s.organization.get_status_display(),
                    s.rating.label,
                    s.rating.score,
                    s.risk,
                    " ".join(a.reason for a in s.alerts),
                ]
                for s in dashboard.standings
            ],
        ),
        (
            _("Communes"),
            [[_("Commune/ward"), _("Linkage models"), _("Active cooperatives")]]
            + [[c.ward.name, c.models, c.cooperatives] for c in dashboard.lagging_communes],
        ),
        (
            _("Support"),
            [[_("Cooperative"), _("Support received (VND)")]]
            + [[s.organization.name, s.support_total] for s in dashboard.support],
        ),
        (
            _("Targets by year"),
            [[_("Target"), *years]]
            + [[t.target.title, *(dict(t.points).get(y) for y in years)] for t in trends],
        ),
        (
            _("Support programmes"),
            [
                [
                    _("Programme"),
                    _("Cooperative"),
                    _("Purpose"),
                    _("Committed (VND)"),
                    _("Disbursed (VND)"),
                ]
            ]  # fmt: skip
            + [
                [p.programme.name, a.beneficiary.name, a.purpose, a.committed, a.disbursed]
                for p in programmes
                for a in p.allocations
            ],
        ),
        (
            _("Linkage models"),
            [
                [
                    _("Linkage model"),
                    _("Commune/ward"),
                    _("Commodity"),
                    _("Lead cooperative"),
                    _("Lead enterprise"),
                    _("Started on"),
                    _("Status"),
                    _("Delivered under its contracts (VND)"),
                ]
            ]  # fmt: skip
            + [
                [
                    m.name,
                    m.ward.name,
                    m.commodity,
                    m.cooperative.name,
                    m.enterprise.name if m.enterprise else "",
                    m.started_on,
                    m.get_status_display(),
                    flow,
                ]
                for m, flow in models
            ],
        ),
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
