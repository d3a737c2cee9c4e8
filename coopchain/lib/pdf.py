"""The platform's PDFs are drawn with fpdf2 (pure Python: nothing to install on a field office's
machine) and set in Be Vietnam Pro, a font drawn for Vietnamese (shipped by the
fontpkg-be-vietnam-pro package)."""

from importlib.resources import files

from fpdf import FPDF

FAMILY = "BeVietnamPro"
FONT = files("fontpkg_be_vietnam_pro") / "files"


def set_up(pdf: FPDF, *, title: str) -> FPDF:
    """Give a new document the platform's font in regular and bold, its title and creator."""
    pdf.add_font(FAMILY, "", str(FONT / "BeVietnamPro-Regular.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT / "BeVietnamPro-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("CoopChain")
    return pdf


def line(pdf: FPDF, width: float, height: float, text: str) -> None:
    """A paragraph, after which writing goes on at the left margin on the next line."""
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")
