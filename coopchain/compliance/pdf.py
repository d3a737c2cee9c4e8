"""The export-readiness summary of a lot as a PDF for a buyer."""

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from coopchain.compliance.claims import Claim
from coopchain.compliance.readiness import MET, NOT_APPLICABLE, Readiness
from coopchain.lib.pdf import FAMILY, line, set_up
from coopchain.trace.models import Lot


def readiness_pdf(lot: Lot, readiness: list[Readiness], claims: list[Claim]) -> bytes:
    title = _("Export readiness of lot %(lot)s") % {"lot": lot.lot_number or lot.epc}
    pdf = set_up(FPDF(format="A4"), title=title)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 16)
    line(pdf, 0, 9, title)
    pdf.set_font(FAMILY, "", 9)
    line(pdf, 0, 5, f"{lot.epc}\n{lot.organization.name}")
    line(
        pdf,
        0,
        5,
        _("Computed on %(when)s from the lot's trace, certificates and farm diaries.")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 8, _("Certified claims"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    held = [c for c in claims if c.holds]
    line(pdf, 0, 6, ", ".join(c.label for c in held) if held else _("None"))
    for claim in claims:
        if not claim.holds:
            line(pdf, 0, 5, f"{claim.label}: " + "; ".join(claim.reasons[:3]))
    for market in readiness:
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 12)
        verdict = _("ready") if market.ready else _("not ready")
        pdf.cell(0, 8, f"{market.market_label}: {verdict}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 9)
        for result in market.results:
            mark = {MET: _("met"), NOT_APPLICABLE: _("does not apply")}.get(
                result.status, _("NOT MET")
            )
            line(
                pdf,
                0,
                5,
                f"[{mark}] {result.requirement.label}: {result.reason} ({result.requirement.basis})",
            )
    return bytes(pdf.output())
