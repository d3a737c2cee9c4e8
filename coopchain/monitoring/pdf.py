"""The whole province report as a PDF, drawn like the platform's other PDFs (`lib.pdf`).

The caller activates Vietnamese; every label and reason is looked up when the PDF is drawn.
"""

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from coopchain.lib.pdf import FAMILY, line, set_up
from coopchain.monitoring.drilldown import ProgrammeTotals, Trend
from coopchain.monitoring.selectors import ProvinceDashboard

HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 240, 232))
BAR_MM = 90


# Written the Vietnamese way: 1.200.000 đồng, 17,5 %.
def _money(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", ".")


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value} %".replace(".", ",")


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")


def province_pdf(
    dashboard: ProvinceDashboard, trends: list[Trend], programmes: list[ProgrammeTotals]
) -> bytes:
    title = _("Cooperatives of %(province)s") % {"province": dashboard.province.name}
    pdf = set_up(_Report(format="A4"), title=title)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_lang("vi")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    line(pdf, 0, 9, title)
    pdf.set_font(FAMILY, "", 9)
    line(pdf, 0, 5, timezone.localtime().strftime("%d/%m/%Y %H:%M"))
    counts = [
        (dashboard.by_status.get("active", 0), _("active")),
        (dashboard.by_status.get("suspended", 0), _("suspended")),
        (dashboard.by_status.get("dissolved", 0), _("dissolved")),
        (len(dashboard.healthy), _("healthy")),
        (len(dashboard.at_risk), _("at risk")),
    ]
    pdf.set_font(FAMILY, "B", 11)
    line(pdf, 0, 7, " · ".join(f"{n} {label}" for n, label in counts))

    _heading(pdf, _("Targets"))
    by_target = {t.target.pk: t for t in trends}
    for standing in dashboard.targets:
        target = standing.target
        pdf.set_font(FAMILY, "B", 10)
        line(pdf, 0, 5, target.title)
        pdf.set_font(FAMILY, "", 9)
        line(
            pdf,
            0,
            5,
            f"{target.source} · {_('by %(year)s') % {'year': target.due_year}} · "
            f"{_percent(standing.value)} / {_percent(target.target_percent.normalize())}",
        )
        _bar(pdf, standing.value, target.target_percent)
        line(pdf, 0, 4.5, standing.definition)
        trend = by_target.get(target.pk)
        if trend and len(trend.points) > 1:
            line(
                pdf,
                0,
                4.5,
                " · ".join(f"{year}: {_percent(value)}" for year, value in trend.points),
            )
        pdf.ln(2)

    _heading(pdf, _("Cooperatives at risk"))
    _table(
        pdf,
        [_("Cooperative"), _("Commune/ward"), _("Risk"), _("Why"), _("Next step")],
        [
            [
                s.organization.name,
                s.organization.ward.name if s.organization.ward else "—",
                str(s.risk),
                "\n".join(a.reason for a in s.alerts),
                "\n".join(a.next_step for a in s.alerts),
            ]
            for s in dashboard.at_risk
        ],
        (34, 24, 12, 55, 55),
    )

    _heading(pdf, _("All cooperatives"))
    _table(
        pdf,
        [_("Cooperative"), _("Commune/ward"), _("Status"), _("Rating"), _("Points")],
        [
            [
                s.organization.name,
                s.organization.ward.name if s.organization.ward else "—",
                s.organization.get_status_display(),
                s.rating.label,
                "—" if s.rating.score is None else str(s.rating.score),
            ]
            for s in dashboard.standings
        ],
        (60, 40, 28, 34, 18),
    )

    _heading(pdf, _("Communes lagging on linkage models"))
    _table(
        pdf,
        [_("Commune/ward"), _("Linkage models"), _("Active cooperatives")],
        [[c.ward.name, str(c.models), str(c.cooperatives)] for c in dashboard.lagging_communes],
        (90, 45, 45),
    )

    _heading(pdf, _("Support received, by cooperative"))
    rows = [[s.organization.name, _money(s.support_total)] for s in dashboard.support]
    if rows:
        rows.append([_("Total"), _money(dashboard.support_total)])
    _table(pdf, [_("Cooperative"), _("Support received (VND)")], rows, (120, 60))

    if programmes:
        _heading(pdf, _("Support programmes"))
        _table(
            pdf,
            [_("Programme"), _("Cooperative"), _("Committed (VND)"), _("Disbursed (VND)")],
            [
                [p.programme.name, a.beneficiary.name, _money(a.committed), _money(a.disbursed)]
                for p in programmes
                for a in p.allocations
            ]
            + [
                [p.programme.name, _("Total"), _money(p.committed), _money(p.disbursed)]
                for p in programmes
            ],
            (55, 55, 35, 35),
        )
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 13)
    line(pdf, 0, 8, text)
    pdf.set_font(FAMILY, "", 9)


def _bar(pdf: FPDF, value: Decimal | None, goal: Decimal) -> None:
    """The value as a filled bar on a 0–100 % track, the goal as a red mark."""
    x, y = pdf.get_x(), pdf.get_y() + 1
    pdf.set_fill_color(225, 225, 225)
    pdf.rect(x, y, BAR_MM, 4, style="F")
    if value is not None:
        width = float(min(Decimal(100), max(Decimal(0), value))) * BAR_MM / 100
        met = value >= goal
        pdf.set_fill_color(*((46, 125, 50) if met else (25, 118, 210)))
        pdf.rect(x, y, width, 4, style="F")
    goal_x = x + float(min(Decimal(100), goal)) * BAR_MM / 100
    pdf.set_draw_color(198, 40, 40)
    pdf.set_line_width(0.6)
    pdf.line(goal_x, y - 1, goal_x, y + 5)
    pdf.set_line_width(0.2)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(y + 6)


def _table(pdf: FPDF, headers: list[str], rows: list[list[Any]], widths: tuple[int, ...]) -> None:
    if not rows:
        line(pdf, 0, 5, "—")
        return
    pdf.set_font(FAMILY, "", 8)
    with pdf.table(
        col_widths=widths, headings_style=HEADINGS, line_height=4.5, first_row_as_headings=True
    ) as table:
        table.row(headers)
        for cells in rows:
            table.row([str(c) for c in cells])
    pdf.set_font(FAMILY, "", 9)
