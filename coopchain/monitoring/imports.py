"""A cooperative's reports from a workbook: one row per period, Vietnamese headers, all or
nothing, every problem named by its row, column and reason (the members import's report).

A row whose figures equal the period's latest version is left alone, so importing the same
file twice stores each report once; a row that differs becomes the period's next version.
"""

import io
from dataclasses import dataclass, fields
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coopchain.errors import FieldError
from coopchain.lib.text import fold
from coopchain.monitoring import services
from coopchain.monitoring.models import CooperativeReport
from coopchain.monitoring.services import ReportData
from coopchain.parties import exchange
from coopchain.parties.exchange import FILE_FIELD, GUIDE_SHEET, ImportReport
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import require_write

REPORTS = "reports"
SHEET_TITLE = "Báo cáo"
MONEY_LIMIT = 10**15  # a thousand trillion VND: a figure beyond it is a typing slip


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # in Vietnamese, as the cooperative's accountant writes it
    guide: str
    example: Any
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", "Năm của kỳ báo cáo, ví dụ 2025.", 2025, required=True),
    Column(
        "half",
        "Kỳ",
        "0 = cả năm, 1 = 6 tháng đầu năm, 2 = 6 tháng cuối năm.",
        0,
        required=True,
    ),
    Column("revenue", "Doanh thu (đồng)", "Tổng doanh thu trong kỳ, đồng.", 4_000_000_000),
    Column("cost", "Chi phí (đồng)", "Tổng chi phí trong kỳ, đồng.", 3_500_000_000),
    Column(
        "profit",
        "Lợi nhuận (đồng)",
        "Để trống để tính bằng doanh thu trừ chi phí; số âm nếu lỗ.",
        None,
    ),
    Column("members", "Số thành viên", "Số thành viên cuối kỳ.", 60),
    Column("workers", "Số lao động thường xuyên", "Người làm việc thường xuyên.", 8),
    Column(
        "average_member_income",
        "Thu nhập bình quân thành viên (đồng)",
        "Thu nhập bình quân của một thành viên trong kỳ.",
        70_000_000,
    ),
    Column("charter_capital", "Vốn điều lệ (đồng)", "Vốn điều lệ cuối kỳ.", 800_000_000),
    Column("loans", "Dư nợ vay (đồng)", "Dư nợ vay cuối kỳ.", 100_000_000),
    Column(
        "support_received",
        "Hỗ trợ nhà nước đã nhận (đồng)",
        "Kinh phí hỗ trợ từ ngân sách nhận trong kỳ.",
        0,
    ),
    Column("output_value", "Giá trị sản xuất (đồng)", "Giá trị sản phẩm làm ra.", 5_000_000_000),
    Column(
        "linkage_output_value",
        "Giá trị qua hợp đồng liên kết (đồng)",
        "Phần giá trị sản xuất bán qua hợp đồng liên kết; không lớn hơn giá trị sản xuất.",
        3_000_000_000,
    ),
    Column("brand_registered", "Đã đăng ký nhãn hiệu", "Có hoặc Không.", "Có"),
    Column("traceability_in_use", "Có truy xuất nguồn gốc", "Có hoặc Không.", "Có"),
    Column("ocop_stars", "Số sao OCOP", "Từ 0 đến 5; 0 nếu chưa có sản phẩm OCOP.", 3),
    Column("note", "Ghi chú", "Tùy ý, tối đa 255 ký tự.", ""),
)
_BY_KEY = {fold(c.header): c for c in COLUMNS} | {fold(c.field): c for c in COLUMNS}
_MONEY = {"revenue", "cost", "profit", "average_member_income", "charter_capital", "loans",
          "support_received", "output_value", "linkage_output_value"}  # fmt: skip
_FLAGS = {"brand_registered", "traceability_in_use"}
_YES = {"co", "yes", "x", "1", "true", "c"}
_NO = {"khong", "no", "0", "false", "k"}


class _Bad(ValueError):
    pass


def _number(value: Any, *, low: int, high: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _Bad(_("is not a number"))
    if isinstance(value, float):
        if not value.is_integer():
            raise _Bad(_("must be a whole number"))
        value = int(value)
    if isinstance(value, str):
        # 1.200.000 or 1,200,000 or 1 200 000: Vietnamese and English digit grouping alike.
        digits = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        try:
            value = int(digits)
        except ValueError:
            raise _Bad(_("is not a whole number")) from None
    if not isinstance(value, int):
        raise _Bad(_("is not a number"))
    if not low <= value <= high:
        raise _Bad(_("must be from %(low)s to %(high)s") % {"low": low, "high": high})
    return value


def _flag(value: Any) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = fold(str(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _Bad(_("must be Có or Không"))


def _read(column: Column, value: Any) -> Any:
    name = column.field
    if name == "year":
        return _number(value, low=2000, high=2100)
    if name == "half":
        return _number(value, low=0, high=2)
    if name in _MONEY:
        return _number(value, low=-MONEY_LIMIT if name == "profit" else 0, high=MONEY_LIMIT)
    if name in _FLAGS:
        return _flag(value)
    if name == "note":
        text = "" if value is None else str(value).strip()
        if len(text) > 255:
            raise _Bad(_("is longer than 255 characters"))
        return text
    high = 5 if name == "ocop_stars" else 10_000_000
    return _number(value, low=0, high=high)


@dataclass
class _Row:
    number: int
    year: int
    half: int
    data: ReportData


def import_reports(
    *, organization: Organization, file: IO[bytes], filename: str, dry_run: bool, by: Any
) -> ImportReport:
    """Submit a cooperative's reports from a file, every row or none."""
    require_write(by, organization)
    report = ImportReport(kind=REPORTS, filename=filename, dry_run=dry_run)
    if not organization.is_cooperative:
        report.errors.append(
            FieldError(FILE_FIELD, _("only a cooperative or cooperative group reports"))
        )
        return report
    try:
        table = exchange.read_table(exchange.read_upload(file), filename)
    except exchange.FileRefused as refused:
        report.errors.append(FieldError(FILE_FIELD, refused.reason))
        return report
    found = _map_headers(table.headers, report, row=table.header_row)
    if report.errors:
        return report
    rows = [_read_row(number, cells, found, report) for number, cells in table.rows]
    report.rows = len(table.rows)
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        if row is None:
            continue
        first = seen.setdefault((row.year, row.half), row.number)
        if first != row.number:
            report.errors.append(
                FieldError(
                    found["half"][1],
                    _("the same period as row %(row)s") % {"row": first},
                    row.half,
                    row.number,
                )
            )
    if not report.ok:
        return report
    with transaction.atomic():
        for row in rows:
            latest = (
                CooperativeReport.objects.filter(
                    organization=organization, year=row.year, half=row.half
                )
                .order_by("-version")
                .first()
            )
            if latest is not None and not _differs(latest, row.data):
                report.unchanged += 1
                continue
            if latest is None:
                report.created += 1
            else:
                report.updated += 1
            if not dry_run:
                services.submit_report(
                    organization=organization, year=row.year, half=row.half, data=row.data, by=by
                )
    return report


def _map_headers(
    headers: list[str], report: ImportReport, *, row: int
) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = _BY_KEY.get(fold(header))
        if column is None:
            report.errors.append(
                FieldError(
                    header,
                    _("is not a column of the report (expected: %(columns)s)")
                    % {"columns": ", ".join(c.header for c in COLUMNS)},
                    header,
                    row,
                )
            )
        elif column.field in found:
            report.errors.append(
                FieldError(
                    header,
                    _("is the same column as %(other)s") % {"other": found[column.field][1]},
                    header,
                    row,
                )
            )
        else:
            found[column.field] = (index, header)
    for column in COLUMNS:
        if column.required and column.field not in found:
            report.errors.append(FieldError(column.header, _("this column is missing"), "", row))
    return found


def _read_row(
    number: int, cells: tuple[Any, ...], found: dict[str, tuple[int, str]], report: ImportReport
) -> _Row | None:
    columns = {c.field: c for c in COLUMNS}
    values: dict[str, Any] = {}
    bad = False
    for name, (index, header) in found.items():
        raw = cells[index] if index < len(cells) else None
        try:
            values[name] = _read(columns[name], raw)
        except _Bad as problem:
            report.errors.append(FieldError(header, str(problem), raw, number))
            bad = True
    for name in ("year", "half"):
        if name in found and values.get(name) is None and not bad:
            report.errors.append(FieldError(found[name][1], _("is required"), None, number))
            bad = True
    if bad:
        return None
    year, half = values.pop("year"), values.pop("half")
    values["note"] = values.get("note") or ""
    data = ReportData(**values)
    for error in services.check_report(year, half, data):
        header = found.get(error.field, (0, error.field))[1]
        report.errors.append(FieldError(header, error.reason, error.value, number))
        bad = True
    return None if bad else _Row(number, year, half, data)


def _differs(latest: CooperativeReport, data: ReportData) -> bool:
    """Whether a row says anything the period's latest version does not; an empty cell keeps
    the figure already reported."""
    for item in fields(ReportData):
        value = getattr(data, item.name)
        if item.name == "note":
            if value and value != latest.note:
                return True
            continue
        if value is not None and value != getattr(latest, item.name):
            return True
    return False


def template_workbook() -> bytes:
    """An .xlsx to fill in: the Vietnamese headers, one example row, and a guide sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for column in COLUMNS:
        guide.append([column.header, "Có" if column.required else "", column.guide])
    guide.append([])
    guide.append(
        [
            "Mỗi dòng là một kỳ báo cáo. Nếu có dòng sai, không dòng nào được nhập và mọi lỗi "
            "được liệt kê theo dòng và cột. Nhập lại cùng tệp không tạo báo cáo trùng; dòng có "
            "số liệu khác tạo phiên bản điều chỉnh của kỳ đó."
        ]
    )
    guide.column_dimensions["A"].width = 40
    guide.column_dimensions["C"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
