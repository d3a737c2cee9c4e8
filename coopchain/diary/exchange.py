"""A cooperative's own list of input products, imported from .xlsx or .csv.

Files are read by the same helpers as the member and facility lists
(`coopchain.parties.exchange`), and answered the same way: a file with any bad row writes
nothing, and its report names each problem by row, column and reason. Rows are keyed by
product name within the cooperative, so importing the same file again changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from coopchain.diary import services
from coopchain.diary.models import InputProduct
from coopchain.diary.services import InputProductData
from coopchain.errors import FieldError
from coopchain.land.models import Crop
from coopchain.lib.text import fold
from coopchain.parties.exchange import (
    CSV,
    FILE_FIELD,
    Column,
    FileRefused,
    ImportReport,
    Refused,
    csv_bytes,
    header_key,
    plain,
    read_table,
    read_upload,
    read_yes_no,
    text_reader,
    workbook_bytes,
)
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import require_write

INPUT_PRODUCTS = "input_products"

KIND_LABELS = {
    InputProduct.Kind.FERTILIZER: "Phân bón",
    InputProduct.Kind.PESTICIDE: "Thuốc trừ sâu",
    InputProduct.Kind.HERBICIDE: "Thuốc trừ cỏ",
    InputProduct.Kind.FUNGICIDE: "Thuốc trừ bệnh",
    InputProduct.Kind.FEED: "Thức ăn chăn nuôi",
    InputProduct.Kind.OTHER: "Khác",
}
KINDS: dict[str, str] = {
    **{fold(label): kind for kind, label in KIND_LABELS.items()},
    **{fold(str(label)): kind for kind, label in InputProduct.Kind.choices},
    **{fold(kind): kind for kind in InputProduct.Kind.values},
    "thuoc tru nam": InputProduct.Kind.FUNGICIDE,
    "thuoc bao ve thuc vat": InputProduct.Kind.PESTICIDE,
    "insecticide": InputProduct.Kind.PESTICIDE,
}
DOSE_UNITS = {"kg": "KGM", "kgm": "KGM", "lit": "LTR", "l": "LTR", "ltr": "LTR", "litre": "LTR"}


def _kind(value: Any) -> str:
    text = fold(plain(value))
    if not text:
        raise Refused(_("is required"))
    if text not in KINDS:
        raise Refused(_("must be one of: %(kinds)s") % {"kinds": ", ".join(KIND_LABELS.values())})
    return KINDS[text]


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(value)
    else:
        # Spreadsheets in the Vietnamese locale write 1,5 for 1.5.
        text = plain(value).replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Refused(_("is not a number, such as 0.5")) from None
    if not number.is_finite() or number <= 0:
        raise Refused(_("must be a number above 0"))
    return number


def _dose_unit(value: Any) -> str:
    text = fold(plain(value)).replace("/ha", "").strip()
    if not text:
        return ""
    if text not in DOSE_UNITS:
        raise Refused(_("must be kg or lít"))
    return DOSE_UNITS[text]


class _CropFinder:
    """A crop given by its code or its name in either language, accents optional."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        for crop in Crop.objects.all():
            for name in (crop.code, crop.name, crop.name_vi):
                self.names.setdefault(fold(name), crop.code)
            # "Cà phê vối (Robusta)" is also written "cà phê vối".
            for name in (crop.name, crop.name_vi):
                self.names.setdefault(fold(name.split("(")[0]), crop.code)

    def __call__(self, value: Any) -> dict[str, int]:
        """'cà phê vối: 14; hồ tiêu: 7' -> {'coffee-robusta': 14, 'pepper': 7}."""
        phi: dict[str, int] = {}
        for part in plain(value).replace("\n", ";").split(";"):
            if not part.strip():
                continue
            name, sep, days = part.rpartition(":")
            if not sep:
                raise Refused(_("write each crop as crop: days, such as cà phê vối: 14"))
            code = self.names.get(fold(name))
            if code is None:
                raise Refused(_("%(crop)s is not a crop of the catalogue") % {"crop": name.strip()})
            try:
                phi[code] = int(days.strip())
            except ValueError:
                raise Refused(
                    _("%(days)s is not a whole number of days") % {"days": days.strip()}
                ) from None
        return phi


def _columns(crops: _CropFinder) -> tuple[Column, ...]:
    return (
        Column(
            "name",
            "Tên sản phẩm",
            "Tên thương phẩm như trên nhãn. Nhập lại cùng tên sẽ cập nhật sản phẩm đó.",
            "Abamectin 1.8 EC",
            text_reader(200),
            required=True,
        ),
        Column(
            "kind",
            "Loại",
            "Một trong: " + ", ".join(KIND_LABELS.values()) + ".",
            KIND_LABELS[InputProduct.Kind.PESTICIDE],
            _kind,
            required=True,
            choices=tuple(KIND_LABELS.values()),
        ),
        Column(
            "active_ingredients",
            "Hoạt chất",
            "Hoạt chất và hàm lượng.",
            "Abamectin 18 g/l",
            text_reader(255),
        ),
        Column(
            "registration_number",
            "Số đăng ký",
            "Số đăng ký lưu hành (nếu có).",
            "",
            text_reader(60),
        ),
        Column(
            "banned",
            "Cấm sử dụng",
            "Có nếu hoạt chất đã bị loại khỏi danh mục được phép sử dụng tại Việt Nam.",
            "Không",
            read_yes_no,
            choices=("Có", "Không"),
        ),
        Column("banned_reason", "Lý do cấm", "Văn bản pháp lý cấm sử dụng.", "", text_reader(255)),
        Column(
            "max_dose_per_ha",
            "Liều tối đa/ha",
            "Lượng tối đa cho một lần phun/bón trên 1 ha, theo nhãn.",
            "0,5",
            _decimal,
        ),
        Column("dose_unit", "Đơn vị liều", "kg hoặc lít (trên 1 ha).", "lít", _dose_unit),
        Column(
            "phi_days",
            "Thời gian cách ly (ngày)",
            "Số ngày từ lần phun cuối đến khi thu hoạch, cho từng cây trồng: cây: ngày; cây: ngày.",
            "Cà phê vối: 14; Hồ tiêu: 14",
            crops,
        ),
        Column("notes", "Ghi chú", "", "", text_reader(1000)),
    )


@dataclass
class _Row:
    number: int
    data: InputProductData
    record: InputProduct | None


def import_input_products(
    *, organization: Organization, file: IO[bytes], filename: str, dry_run: bool, by: Any
) -> ImportReport:
    """Create and update a cooperative's own products from a list; all rows or none."""
    require_write(by, organization)
    report = ImportReport(kind=INPUT_PRODUCTS, filename=filename, dry_run=dry_run)
    try:
        table = read_table(read_upload(file), filename)
    except FileRefused as refused:
        report.errors.append(FieldError(FILE_FIELD, refused.reason))
        return report
    columns = _columns(_CropFinder())
    found = _map_headers(columns, table.headers, report)
    if report.errors:
        return report
    existing = {p.name: p for p in InputProduct.objects.filter(organization=organization)}
    rows = [
        _read_row(number, cells, found, columns, existing, report) for number, cells in table.rows
    ]
    report.rows = len(rows)
    first_row: dict[str, int] = {}
    for row in rows:
        key = fold(row.data.name)
        if key and key in first_row:
            reason = _("is used again: row %(row)d has the same name") % {"row": first_row[key]}
            report.errors.append(FieldError(found["name"][1], reason, row.data.name, row.number))
        first_row.setdefault(key, row.number)
    if report.errors:
        return report
    for row in rows:
        if row.record is None:
            report.created += 1
        elif services.product_data(row.record) != row.data:
            report.updated += 1
        else:
            report.unchanged += 1
    if dry_run:
        return report
    with transaction.atomic():
        for row in rows:
            if row.record is None:
                services.create_input_product(organization=organization, data=row.data, by=by)
            elif services.product_data(row.record) != row.data:
                services.update_input_product(product=row.record, data=row.data, by=by)
    return report


def _map_headers(
    columns: tuple[Column, ...], headers: list[str], report: ImportReport
) -> dict[str, tuple[int, str]]:
    known = {c.key: c for c in columns} | {header_key(c.field): c for c in columns}
    found: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(headers):
        column = known.get(header_key(header)) if header else None
        if header and column is None:
            expected = ", ".join(c.header for c in columns)
            reason = _("is not a column of this list (expected: %(columns)s)") % {
                "columns": expected
            }
            report.errors.append(FieldError(header, reason, header, 1))
        elif column is not None:
            found[column.field] = (index, header)
    for column in columns:
        if column.required and column.field not in found:
            report.errors.append(FieldError(column.header, _("this column is missing"), "", 1))
    return found


def _read_row(
    number: int,
    cells: tuple[Any, ...],
    found: dict[str, tuple[int, str]],
    columns: tuple[Column, ...],
    existing: dict[str, InputProduct],
    report: ImportReport,
) -> _Row:
    by_field = {c.field: c for c in columns}
    header_of = {name: header for name, (_index, header) in found.items()}
    values: dict[str, Any] = {}
    failed: set[str] = set()
    for name, (index, header) in found.items():
        raw = cells[index] if index < len(cells) else None
        try:
            values[name] = by_field[name].read(raw)
        except Refused as refused:
            report.errors.append(FieldError(header, refused.reason, plain(raw), number))
            failed.add(name)
    mapped = {index for index, _header in found.values()}
    for index, cell in enumerate(cells):
        if index not in mapped and plain(cell):
            reason = _("has a value but the column has no header")
            report.errors.append(
                FieldError(get_column_letter(index + 1), reason, plain(cell), number)
            )
    name = " ".join(str(values.get("name") or "").split())
    record = existing.get(name)
    base = services.product_data(record) if record else InputProductData(name="", kind="")
    given = {k: v for k, v in values.items() if k not in failed}
    if "max_dose_per_ha" in given and given["max_dose_per_ha"] is None:
        given.setdefault("dose_unit", "")
    data = InputProductData(**{**base.__dict__, **given})
    for error in services.check_input_product_data(data, row=number):
        if error.field not in failed:
            header = header_of.get(error.field, by_field[error.field].header)
            report.errors.append(FieldError(header, error.reason, error.value, number))
    return _Row(number, data, record)


def template_file(fmt: str) -> bytes:
    """The list's columns and an example row, to fill in (.xlsx or .csv)."""
    columns = _columns(_CropFinder())
    rows = [[c.header for c in columns], [str(c.example) for c in columns]]
    if fmt == CSV:
        return csv_bytes(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Vật tư"
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)
