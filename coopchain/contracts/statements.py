"""Members' payment statements (phiếu thanh toán) of an approved run, in Vietnamese, as a
print-friendly page and as a PDF set in Be Vietnam Pro.

A statement is a Vietnamese document handed to a farmer, like the members' list template, so
its wording is fixed Vietnamese here rather than the interface's language. It shows what the
cooperative owed the member, each amount kept back in the order of recovery, what is paid and
how (the account number masked but for its last digits), and what the member still owes.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from fpdf import FPDF

from coopchain.contracts import payments
from coopchain.contracts.bank_export import bank_file
from coopchain.contracts.models import LedgerEntry, PaymentLine, PaymentRun
from coopchain.lib.pdf import FAMILY, set_up

KIND_VI = {
    LedgerEntry.Kind.PRODUCE: "Nông sản HTX mua",
    LedgerEntry.Kind.MILK: "Phiếu sữa",
    LedgerEntry.Kind.INPUTS: "Vật tư bán chịu",
    LedgerEntry.Kind.ADVANCE: "Tạm ứng",
    LedgerEntry.Kind.FEE: "Phí",
    LedgerEntry.Kind.PAYMENT: "Đã trả",
    LedgerEntry.Kind.CORRECTION: "Điều chỉnh",
}
TITLE = "PHIẾU THANH TOÁN CHO THÀNH VIÊN"
EARLIER = "Còn được nhận từ các kỳ trước"


@dataclass
class Item:
    on: date | None
    label: str
    text: str
    amount: int

    @property
    def shown(self) -> str:
        return _vn(self.amount)


@dataclass
class Deduction:
    label: str
    owed: int
    taken: int

    @property
    def shown(self) -> str:
        return _vn(self.taken)

    @property
    def owed_shown(self) -> str:
        return _vn(self.owed)


@dataclass
class Statement:
    run: PaymentRun
    line: PaymentLine
    items: list[Item] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    method: str = ""

    @property
    def still_owed(self) -> int:
        return max(self.line.outstanding_debt - self.line.deduction, 0)

    def shown(self) -> dict[str, str]:
        """The statement's sums as a Vietnamese document writes them."""
        line = self.line
        return {
            "due": _vn(line.due),
            "limit": _vn(line.due * self.run.recovery_limit_percent // 100),
            "deduction": _vn(line.deduction),
            "pay": _vn(line.pay),
            "still_owed": _vn(self.still_owed),
        }


def _vn(amount: int) -> str:
    """12.500.000 đ: the thousands dot Vietnamese documents use."""
    return f"{amount:,}".replace(",", ".") + " đ"


def statement(run: PaymentRun, line: PaymentLine) -> Statement:
    result = Statement(run=run, line=line)
    for item in line.explanation:
        code = item.get("code")
        if code == "earlier":
            result.items.append(Item(None, EARLIER, "", item["amount"]))
        elif code == "recovered":
            continue
        else:
            on = date.fromisoformat(item["on"]) if item.get("on") else None
            result.items.append(
                Item(on, KIND_VI.get(code, ""), item.get("text", ""), item["amount"])
            )
    parts = payments.parts_of(line)
    result.deductions = [
        Deduction(KIND_VI.get(p["kind"], p["kind"]), p["owed"], p["taken"]) for p in parts
    ]
    if not parts and line.deduction:
        result.deductions = [Deduction("Khấu trừ nợ", line.outstanding_debt, line.deduction)]
    member = line.member
    if member.bank_account and member.bank:
        result.method = (
            f"Chuyển khoản vào tài khoản {member.bank.short_name} {member.bank_account_masked} "
            f"({member.bank_account_holder or member.head_of_household})"
        )
    else:
        result.method = "Tiền mặt tại HTX"
    return result


def statements(run: PaymentRun, member_code: str = "") -> list[Statement]:
    """Every member's statement of an approved run (or one member's). Refused for a draft."""
    bank_file(run)  # the same refusal as the bank file: a draft still changes
    lines = run.lines.select_related("member").order_by("member__code")
    if member_code:
        lines = lines.filter(member__code=member_code)
    return [statement(run, line) for line in lines]


def statements_pdf(run: PaymentRun, chosen: list[Statement]) -> bytes:
    title = f"{TITLE} {run.period_start:%d/%m/%Y}–{run.period_end:%d/%m/%Y}"
    pdf = set_up(FPDF(format=(148, 210)), title=title)  # A5, in millimetres
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(auto=True, margin=12)
    for one in chosen:
        _page(pdf, one)
    return bytes(pdf.output())


def _table(pdf: FPDF, rows: list[tuple[str, str]]) -> None:
    """Text and amount in two columns, the last row (the sum) in bold."""
    pdf.set_font(FAMILY, "", 9)
    with pdf.table(
        col_widths=(3, 1),
        text_align=("LEFT", "RIGHT"),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        line_height=5,
    ) as table:
        for number, (text, amount) in enumerate(rows, start=1):
            if number == len(rows):
                pdf.set_font(FAMILY, "B", 9)
            row = table.row()
            row.cell(text)
            row.cell(amount)
    pdf.set_font(FAMILY, "", 9)


def _page(pdf: FPDF, one: Statement) -> None:
    run, line, member = one.run, one.line, one.line.member
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, 5, run.organization.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 13)
    pdf.cell(0, 9, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.cell(
        0,
        5,
        f"Kỳ thanh toán: {run.period_start:%d/%m/%Y} – {run.period_end:%d/%m/%Y}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.cell(0, 5, f"Thành viên: {member.head_of_household} (mã {member.code})")
    pdf.ln(5)
    if member.address:
        pdf.cell(0, 5, f"Địa chỉ: {member.address}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, 6, "1. HTX nợ thành viên", new_x="LMARGIN", new_y="NEXT")
    rows = []
    for item in one.items:
        when = f"{item.on:%d/%m/%Y} · " if item.on else ""
        rows.append(
            (f"{when}{item.label}{': ' + item.text if item.text else ''}", _vn(item.amount))
        )
    _table(pdf, [*rows, ("Cộng", _vn(line.due))])
    pdf.ln(1)
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(0, 6, "2. Khấu trừ nợ của thành viên", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(
        0,
        4,
        f"Theo thứ tự: phí, tạm ứng, vật tư bán chịu, điều chỉnh; tối đa "
        f"{run.recovery_limit_percent} % số được nhận ({_vn(line.due * run.recovery_limit_percent // 100)}).",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    rows = [(f"{d.label} (nợ {_vn(d.owed)})", "− " + _vn(d.taken)) for d in one.deductions]
    _table(pdf, [*rows, ("Cộng khấu trừ", "− " + _vn(line.deduction))])
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(pdf.epw - 40, 8, "3. SỐ TIỀN THÀNH VIÊN ĐƯỢC NHẬN")
    pdf.cell(40, 8, _vn(line.pay), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(0, 5, f"Hình thức: {one.method}", new_x="LMARGIN", new_y="NEXT")
    if one.still_owed:
        pdf.multi_cell(
            0,
            5,
            f"Thành viên còn nợ HTX sau kỳ này: {_vn(one.still_owed)}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(6)
    half = pdf.epw / 2
    pdf.set_font(FAMILY, "B", 9)
    pdf.cell(half, 5, "Người lập phiếu", align="C")
    pdf.cell(half, 5, "Thành viên ký nhận", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 7)
    pdf.cell(
        0,
        12,
        f"In ngày {timezone.localdate():%d/%m/%Y}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
