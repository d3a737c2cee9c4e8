"""The bank file of an approved payment run: one transfer per member with a bank account, and
the members without one listed apart, to be paid in cash.

Text in the file is plain ASCII: Vietnamese without diacritics, the holder's name in capitals.
Interbank transfers travel through NAPAS, whose transfer content and account names are
unaccented Latin letters without special characters (banks' bulk-payment templates and the
VietQR/NAPAS specifications ask the same), so a name or description with diacritics is either
refused by the bank's upload or arrives garbled. Amounts are whole dong.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from coopchain.contracts.models import PaymentLine, PaymentRun
from coopchain.errors import Conflict
from coopchain.lib.text import fold

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
TRANSFER_HEADERS = (
    "STT",
    "Ten chu tai khoan",
    "So tai khoan",
    "Ngan hang",
    "Ma BIN",
    "So tien",
    "Noi dung",
    "Ma thanh vien",
)
CASH_HEADERS = ("STT", "Ma thanh vien", "Ho ten chu ho", "So tien", "Noi dung", "Ky nhan")
# What a NAPAS transfer's content may hold, and how long the description is kept.
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9 ./-]")
DESCRIPTION_LENGTH = 80


def ascii_text(text: str) -> str:
    """'Nguyễn Thị Đào' -> 'Nguyen Thi Dao': Vietnamese without diacritics, case kept, and
    characters a transfer cannot carry dropped."""
    folded = []
    for ch in text:
        plain = fold(ch) if not ch.isspace() else " "
        folded.append(plain.upper() if ch.isupper() else plain)
    return " ".join(_NOT_ALLOWED.sub("", "".join(folded)).split())


def holder_name(line: PaymentLine) -> str:
    member = line.member
    return ascii_text(member.bank_account_holder or member.head_of_household).upper()


def description(run: PaymentRun, line: PaymentLine) -> str:
    """'HTX EA TUL TT TV0001 KY 01/11-30/11/2025': who pays, for whom, for which period."""
    payer = ascii_text(run.organization.short_name or run.organization.name).upper()
    text = (
        f"{payer} TT {ascii_text(line.member.code).upper()} "
        f"KY {run.period_start:%d/%m}-{run.period_end:%d/%m/%Y}"
    )
    return text[:DESCRIPTION_LENGTH]


@dataclass(frozen=True)
class BankFile:
    transfers: list[PaymentLine]
    cash: list[PaymentLine]

    @property
    def transfer_total(self) -> int:
        return sum(line.pay for line in self.transfers)

    @property
    def cash_total(self) -> int:
        return sum(line.pay for line in self.cash)


def bank_file(run: PaymentRun) -> BankFile:
    """The run's payments split into bank transfers and cash. Refused for a draft run: only an
    approved run, which cannot change any more, goes to the bank."""
    if run.status == PaymentRun.Status.DRAFT:
        raise Conflict(
            detail=_("Only an approved payment run goes to the bank; approve this one first.")
        )
    lines = [
        line for line in run.lines.select_related("member").order_by("member__code") if line.pay > 0
    ]
    return BankFile(
        transfers=[line for line in lines if line.member.bank_account and line.member.bank],
        cash=[line for line in lines if not (line.member.bank_account and line.member.bank)],
    )


def _transfer_rows(run: PaymentRun, lines: list[PaymentLine]) -> list[list[object]]:
    return [
        [
            number,
            holder_name(line),
            line.member.bank_account,
            line.member.bank.short_name,
            line.member.bank.bin,
            line.pay,
            description(run, line),
            line.member.code,
        ]
        for number, line in enumerate(lines, start=1)
    ]


def _cash_rows(run: PaymentRun, lines: list[PaymentLine]) -> list[list[object]]:
    return [
        [
            number,
            line.member.code,
            line.member.head_of_household,
            line.pay,
            description(run, line),
            "",
        ]
        for number, line in enumerate(lines, start=1)
    ]


def export_csv(run: PaymentRun, *, cash: bool = False) -> bytes:
    """The transfers as CSV for the bank's upload (or, with `cash`, the cash list)."""
    split = bank_file(run)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if cash:
        writer.writerow(CASH_HEADERS)
        writer.writerows(_cash_rows(run, split.cash))
    else:
        writer.writerow(TRANSFER_HEADERS)
        writer.writerows(_transfer_rows(run, split.transfers))
    return out.getvalue().encode("utf-8")


def export_xlsx(run: PaymentRun) -> bytes:
    """A workbook with the transfers on its first sheet and the cash payments on the second."""
    split = bank_file(run)
    book = Workbook()
    transfers = book.active
    transfers.title = "Chuyen khoan"
    _fill(transfers, TRANSFER_HEADERS, _transfer_rows(run, split.transfers), text_columns=(3,))
    cash = book.create_sheet("Tien mat")
    _fill(cash, CASH_HEADERS, _cash_rows(run, split.cash), text_columns=(2,))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(
    sheet: object, headers: tuple[str, ...], rows: list[list[object]], text_columns: tuple[int, ...]
) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    # Account numbers and codes stay text, so a leading zero survives.
    for column in text_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "@"
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)


def filename(run: PaymentRun, fmt: str, *, cash: bool = False) -> str:
    stem = "tien-mat" if cash else "chuyen-khoan"
    owner = re.sub(r"[^a-z0-9]+", "-", fold(run.organization.short_name or run.organization.name))
    return f"{stem}-{owner.strip('-')}-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}.{fmt}"
