"""The export-readiness summary of a lot as a PDF for a buyer (fpdf2, pure Python), set in
Be Vietnam Pro, a font drawn for Vietnamese (shipped by the fontpkg-be-vietnam-pro package)."""

from importlib.resources import files

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from coopchain.compliance.claims import Claim
from coopchain.compliance.readiness import MET, NOT_APPLICABLE, Readiness
from coopchain.trace.models import Lot

FONT = files("fontpkg_be_vietnam_pro") / "files"


def line(pdf: FPDF, width: float, height: float, text: str) -> None:
    """A paragraph, after which writing goes on at the left margin on the next line."""
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def readiness_pdf(lot: Lot, readiness: list[Readiness], claims: list[Claim]) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.add_font("BeVietnamPro", "", str(FONT / "BeVietnamPro-Regular.ttf"))
    pdf.add_font("BeVietnamPro", "B", str(FONT / "BeVietnamPro-Bold.ttf"))
    pdf.set_title(_("Export readiness of lot %(lot)s") % {"lot": lot.lot_number or lot.epc})
    pdf.set_creator("CoopChain")
    pdf.add_page()
    pdf.set_font("BeVietnamPro", "B", 16)
    line(pdf, 0, 9, _("Export readiness of lot %(lot)s") % {"lot": lot.lot_number or lot.epc})
    pdf.set_font("BeVietnamPro", "", 9)
    line(pdf, 0, 5, f"{lot.epc}\n{lot.organization.name}")
    line(
        pdf,
        0,
        5,
        _("Computed on %(when)s from the lot's trace, certificates and farm diaries.")
        % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    pdf.ln(3)
    pdf.set_font("BeVietnamPro", "B", 12)
    pdf.cell(0, 8, _("Certified claims"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("BeVietnamPro", "", 10)
    held = [c for c in claims if c.holds]
    line(pdf, 0, 6, ", ".join(c.label for c in held) if held else _("None"))
    for claim in claims:
        if not claim.holds:
            line(pdf, 0, 5, f"{claim.label}: " + "; ".join(claim.reasons[:3]))
    for market in readiness:
        pdf.ln(3)
        pdf.set_font("BeVietnamPro", "B", 12)
        verdict = _("ready") if market.ready else _("not ready")
        pdf.cell(0, 8, f"{market.market_label}: {verdict}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("BeVietnamPro", "", 9)
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
