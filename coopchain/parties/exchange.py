"""Member households and facilities to and from a cooperative's own lists (.xlsx and .csv).

The one implementation behind the import and export pages, the API and the `coopchain import`
and `coopchain export` commands. An import is all or nothing: a file with any bad row writes
nothing, and its report names every problem by the row and column the user sees in Excel.
Rows are keyed by member (facility) code within the organization, so importing the same file
again changes nothing.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from coopchain.errors import FieldError, InvalidInput, NotFound
from coopchain.lib.text import fold, normalise_name
from coopchain.parties import banks, selectors, services
from coopchain.parties.models import AdminUnit, Facility, Member, Organization
from coopchain.parties.services import FacilityData, MemberData
from coopchain.parties.tenancy import grants_for, require_write, sees_personal_data

MEMBERS = "members"
FACILITIES = "facilities"
MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
XLSX = "xlsx"
CSV = "csv"
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
GUIDE_SHEET = "Hướng dẫn"
# Where a problem concerns the whole file rather than one cell.
FILE_FIELD = "file"

Progress = Callable[[int, int], None]


# --- The report ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and every reason it refused the file."""

    kind: str
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        if self.errors:
            return ngettext(
                "Nothing was imported: %(count)d problem in the file.",
                "Nothing was imported: %(count)d problems in the file.",
                len(self.errors),
            ) % {"count": len(self.errors)}
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Checked: nothing was written. %(created)d would be added, "
                    "%(updated)d would be updated, %(unchanged)d unchanged."
                )
                % counts
            )
        return (
            _("Imported: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.") % counts
        )

    def refusal(self) -> InvalidInput:
        """The report as the project's error, for interfaces that answer a refusal with one."""
        return InvalidInput(detail=self.summary(), errors=self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "filename": self.filename,
            "dry_run": self.dry_run,
            "written": self.written,
            "detail": self.summary(),
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


# --- Reading one cell ---------------------------------------------------------------------


class Refused(ValueError):
    """A cell that cannot be read as its column's kind of value; the reason is for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# A masked national ID (as exported to someone who may not see it) means "keep what is there".
KEEP = object()


def plain(value: Any) -> str:
    """A cell as the text the user typed: Excel stores 1975 as 1975.0 and codes as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return normalise_name(str(value))


def text_reader(max_length: int) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        text = plain(value)
        if len(text) > max_length:
            raise Refused(
                _("is longer than %(count)d characters") % {"count": max_length},
            )
        return text

    return read


def _digits(width: int, *, restore_from: int) -> Callable[[Any], str]:
    """Digit codes whose leading zeros Excel drops when it takes them for numbers."""

    def read(value: Any) -> str:
        text = plain(value)
        if text.isdigit() and restore_from <= len(text) < width:
            return text.zfill(width)
        return text

    return read


def _phone(value: Any) -> str:
    text = plain(value)
    digits = services.clean_phone(text)
    # Vietnamese numbers are dialled with a leading 0 that Excel drops from a number cell;
    # no valid number has nine digits without it.
    if digits.isdigit() and len(digits) == 9 and not digits.startswith("0"):
        return "0" + digits
    if len(text) > 20:
        raise Refused(_("is longer than %(count)d characters") % {"count": 20})
    return text


def _national_id(value: Any) -> Any:
    text = plain(value)
    if "•" in text:
        return KEEP
    # A citizen ID starts with the 3-digit province code, 001 to 096.
    return _digits(12, restore_from=10)(text)


def _bank(value: Any) -> str:
    text = plain(value)
    if not text:
        return ""
    bank = banks.find_bank(text)
    if bank is None:
        raise Refused(
            _("is not a bank in the list: write its short name, such as Agribank or BIDV")
        )
    return bank.bin


def _bank_account(value: Any) -> Any:
    text = plain(value)
    if "•" in text:
        return KEEP
    if len(text) > 30:
        raise Refused(_("is longer than %(count)d characters") % {"count": 30})
    return services.clean_bank_account(text)


def _whole_number(value: Any, *, low: int, high: int, reason: str) -> int | None:
    text = plain(value)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise Refused(reason) from None
    if not low <= number <= high:
        raise Refused(reason)
    return number


def _birth_year(value: Any) -> int | None:
    # The range is checked with the other member rules; here only "is it a whole number".
    return _whole_number(value, low=0, high=9999, reason=_("is not a year (four digits)"))


def _household_size(value: Any) -> int | None:
    return _whole_number(
        value, low=1, high=99, reason=_("is not a number of people (a whole number, 1 to 99)")
    )


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def read_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = plain(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a calendar date, no time
        except ValueError:
            continue
    raise Refused(_("is not a date (dd/mm/yyyy)"))


GENDERS = {
    "nam": Member.Gender.MALE,
    "male": Member.Gender.MALE,
    "nu": Member.Gender.FEMALE,
    "female": Member.Gender.FEMALE,
    "khac": Member.Gender.OTHER,
    "other": Member.Gender.OTHER,
}
GENDER_LABELS = {
    Member.Gender.MALE: "Nam",
    Member.Gender.FEMALE: "Nữ",
    Member.Gender.OTHER: "Khác",
}


def _gender(value: Any) -> str:
    text = fold(plain(value))
    if not text:
        return ""
    if text not in GENDERS:
        raise Refused(_("must be Nam, Nữ or Khác"))
    return GENDERS[text]


YES = {"co", "yes", "true", "x", "1"}
NO = {"khong", "no", "false", "0", ""}


def read_yes_no(value: Any) -> bool:
    text = fold(plain(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise Refused(_("must be Có or Không"))


KIND_LABELS = {
    Facility.Kind.COLLECTION_CENTRE: "Điểm thu gom",
    Facility.Kind.WAREHOUSE: "Kho",
    Facility.Kind.PROCESSING_PLANT: "Nhà máy chế biến",
    Facility.Kind.PACKING_HOUSE: "Cơ sở đóng gói",
}
KIND_ALIASES = {
    "trung tam thu gom": Facility.Kind.COLLECTION_CENTRE,
    "diem thu mua": Facility.Kind.COLLECTION_CENTRE,
    "kho hang": Facility.Kind.WAREHOUSE,
    "co so che bien": Facility.Kind.PROCESSING_PLANT,
    "nha dong goi": Facility.Kind.PACKING_HOUSE,
    "nha so che dong goi": Facility.Kind.PACKING_HOUSE,
}
KINDS: dict[str, str] = {
    **KIND_ALIASES,
    **{fold(label): kind for kind, label in KIND_LABELS.items()},
    **{fold(str(label)): kind for kind, label in Facility.Kind.choices},
    **{fold(kind): kind for kind in Facility.Kind.values},
}


def _kind(value: Any) -> str:
    text = fold(plain(value))
    if not text:
        raise Refused(_("is required"))
    if text not in KINDS:
        raise Refused(
            _("must be one of: %(kinds)s") % {"kinds": ", ".join(KIND_LABELS.values())},
        )
    return KINDS[text]


def _coordinate(value: Any) -> Decimal | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = repr(float(value))
    else:
        text = plain(value)
        # Spreadsheets in the Vietnamese locale write 12,345 for 12.345.
        if "," in text and "." not in text:
            text = text.replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Refused(_("is not a number of degrees, such as 12.712345")) from None
    if not number.is_finite():
        raise Refused(_("is not a number of degrees, such as 12.712345"))
    return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class _WardFinder:
    """A commune/ward given by its code or, within the cooperative's province, by its name."""

    PREFIXES = ("xa", "phuong", "dac khu")

    def __init__(self, organization: Organization | None) -> None:
        province = organization.province if organization is not None else None
        self.province_code = province.code if province is not None else ""
        self.province_name = province.name if province is not None else ""
        self.found: dict[str, str | Refused] = {}

    def __call__(self, value: Any) -> str:
        text = plain(value)
        # The form's list shows "24277 · Xã Ea Tul"; people copy it whole.
        if "·" in text:
            text = text.split("·")[0].strip()
        if not text:
            return ""
        if text.isdigit():
            return text.zfill(5) if len(text) < 5 else text
        if text not in self.found:
            self.found[text] = self._by_name(text)
        answer = self.found[text]
        if isinstance(answer, Refused):
            raise answer
        return answer

    def _by_name(self, text: str) -> "str | Refused":
        key = fold(text)
        names = [key, *(f"{prefix} {key}" for prefix in self.PREFIXES)]
        units = AdminUnit.objects.filter(level=AdminUnit.Level.WARD, search_name__in=names)
        if self.province_code:
            units = units.filter(province_id=self.province_code)
        candidates = list(units.order_by("code"))
        if len(candidates) > 1:
            # "Xã Ba Tơ" and "Xã Ba Tô" differ only by their marks: the exact spelling decides.
            typed = normalise_name(text).casefold()
            exact = [u for u in candidates if typed in _spellings(u)]
            candidates = exact or candidates
        if len(candidates) == 1:
            return candidates[0].code
        if not candidates:
            if self.province_name:
                return Refused(
                    _("is neither a commune/ward code nor a commune/ward of %(province)s")
                    % {"province": self.province_name}
                )
            return Refused(_("is neither a commune/ward code nor a commune/ward name"))
        choices = "; ".join(f"{u.code} {u.name}" for u in candidates)
        return Refused(
            _("names several communes/wards (%(choices)s): give the 5-digit code")
            % {"choices": choices}
        )


def _spellings(unit: AdminUnit) -> set[str]:
    """A unit's name as people write it: "Xã Ba Tơ" or just "Ba Tơ"."""
    name = normalise_name(unit.name).casefold()
    prefix = unit.division_type.casefold() + " "
    return {name, name.removeprefix(prefix)}


# --- The columns of each list -------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    guide: str
    example: Any
    read: Callable[[Any], Any]
    required: bool = False
    text_cell: bool = False
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return header_key(self.header)


def header_key(header: str) -> str:
    """Headers match whatever their case, marks, spacing and punctuation."""
    return re.sub(r"[^a-z0-9]", "", fold(header))


def _member_columns(wards: Callable[[Any], str]) -> tuple[Column, ...]:
    return (
        Column(
            "code",
            "Mã thành viên",
            "Mã riêng của hộ trong HTX, tối đa 30 ký tự. Nhập lại cùng mã sẽ cập nhật hộ đó, "
            "không tạo hộ mới.",
            "TV0001",
            text_reader(30),
            required=True,
            text_cell=True,
        ),
        Column(
            "head_of_household",
            "Họ tên chủ hộ",
            "Họ và tên đầy đủ của chủ hộ, có dấu.",
            "Nguyễn Văn An",
            text_reader(120),
            required=True,
        ),
        Column(
            "gender",
            "Giới tính",
            "Nam, Nữ hoặc Khác. Để trống nếu không rõ.",
            "Nam",
            _gender,
            choices=tuple(GENDER_LABELS.values()),
        ),
        Column("birth_year", "Năm sinh", "Năm sinh của chủ hộ, bốn chữ số.", 1975, _birth_year),
        Column("ethnicity", "Dân tộc", "Ví dụ: Kinh, Ê Đê, M'Nông.", "Kinh", text_reader(40)),
        Column(
            "phone",
            "Số điện thoại",
            "Từ 9 đến 12 chữ số, có thể có dấu cách hoặc dấu chấm. Nhập dạng văn bản để giữ "
            "số 0 ở đầu.",
            "0905123456",
            _phone,
            text_cell=True,
        ),
        Column(
            "ward_code",
            "Mã xã/phường",
            "Mã 5 chữ số của xã/phường theo danh mục từ ngày 1/7/2025, hoặc tên xã/phường "
            'trong tỉnh của HTX, ví dụ "Xã Ea Tul".',
            "24277",
            wards,
            text_cell=True,
        ),
        Column("address", "Địa chỉ", "Thôn, buôn, số nhà.", "Thôn 3", text_reader(255)),
        Column(
            "national_id",
            "Số CCCD",
            "12 chữ số của căn cước công dân. Nhập dạng văn bản để giữ số 0 ở đầu.",
            "066075000123",
            _national_id,
            text_cell=True,
        ),
        Column(
            "household_size",
            "Số nhân khẩu",
            "Số người trong hộ, số nguyên từ 1.",
            5,
            _household_size,
        ),
        Column(
            "joined_on",
            "Ngày vào HTX",
            "Ngày hộ vào HTX, dạng ngày/tháng/năm, ví dụ 15/01/2020. Bắt buộc với hộ mới. "
            "Với hộ đã có, ngày vào không thay đổi khi nhập (sửa ở trang của hộ).",
            date(2020, 1, 15),
            read_date,
            required=True,
        ),
        Column(
            "public_consent",
            "Đồng ý công khai",
            "Có nếu hộ đồng ý hiện tên và số điện thoại trên trang truy xuất nguồn gốc công "
            "khai; Không hoặc để trống nếu không.",
            "Không",
            read_yes_no,
            choices=("Có", "Không"),
        ),
        Column(
            "bank_bin",
            "Ngân hàng",
            "Tên viết tắt của ngân hàng nơi hộ nhận tiền, ví dụ Agribank, BIDV, Vietcombank, "
            "VietinBank, Co-opBank (hoặc mã BIN 6 chữ số). Để trống nếu hộ nhận tiền mặt.",
            "Agribank",
            _bank,
            text_cell=True,
        ),
        Column(
            "bank_account",
            "Số tài khoản",
            "Từ 6 đến 19 chữ số, có thể có dấu cách. Nhập dạng văn bản để giữ số 0 ở đầu.",
            "5200205123456",
            _bank_account,
            text_cell=True,
        ),
        Column(
            "bank_account_holder",
            "Chủ tài khoản",
            "Tên chủ tài khoản như ngân hàng ghi; để trống nếu là chủ hộ.",
            "Nguyễn Văn An",
            text_reader(120),
        ),
    )


def _facility_columns(wards: Callable[[Any], str]) -> tuple[Column, ...]:
    return (
        Column(
            "code",
            "Mã cơ sở",
            "Mã riêng của cơ sở trong tổ chức, tối đa 30 ký tự. Nhập lại cùng mã sẽ cập nhật "
            "cơ sở đó.",
            "CS01",
            text_reader(30),
            required=True,
            text_cell=True,
        ),
        Column(
            "name", "Tên cơ sở", "Tên gọi của cơ sở.", "Điểm thu gom Ea Tul", text_reader(200), True
        ),
        Column(
            "kind",
            "Loại",
            "Một trong: " + ", ".join(KIND_LABELS.values()) + ".",
            KIND_LABELS[Facility.Kind.COLLECTION_CENTRE],
            _kind,
            required=True,
            choices=tuple(KIND_LABELS.values()),
        ),
        Column(
            "ward_code",
            "Mã xã/phường",
            "Mã 5 chữ số của xã/phường theo danh mục từ ngày 1/7/2025, hoặc tên xã/phường "
            "trong tỉnh của tổ chức.",
            "24277",
            wards,
            text_cell=True,
        ),
        Column("address", "Địa chỉ", "Thôn, đường, số nhà.", "Thôn 3", text_reader(255)),
        Column(
            "latitude",
            "Vĩ độ",
            "Độ thập phân, từ 8 đến 24, ví dụ 12.712345.",
            "12.712345",
            _coordinate,
        ),
        Column(
            "longitude",
            "Kinh độ",
            "Độ thập phân, từ 102 đến 110, ví dụ 108.123456.",
            "108.123456",
            _coordinate,
        ),
        Column(
            "packing_house_code",
            "Mã cơ sở đóng gói",
            "Mã số cơ sở đóng gói do cơ quan bảo vệ thực vật cấp; bắt buộc với Cơ sở đóng gói.",
            "",
            text_reader(40),
            text_cell=True,
        ),
        Column(
            "gln",
            "GLN",
            "Mã địa điểm toàn cầu GS1, 13 chữ số (nếu có).",
            "",
            _digits(13, restore_from=13),
            text_cell=True,
        ),
    )


# --- One kind of list: how its rows become records ----------------------------------------


class _Sheet:
    """One kind of list: its columns, and how its rows become records through the services."""

    kind: str
    title: str
    file_stem: str
    # Fields a row must fill when it adds a record (they may be blank for an existing one).
    required_when_new: tuple[str, ...] = ()

    columns_for: Callable[[Callable[[Any], str]], tuple[Column, ...]]

    def __init__(self, organization: Organization) -> None:
        self.organization = organization
        self.columns = self.columns_for(_WardFinder(organization))

    def existing(self) -> dict[str, Any]:
        raise NotImplementedError

    def data_for(self, values: dict[str, Any], record: Any) -> Any:
        """The row's data; columns the file leaves out keep the record's values."""
        raise NotImplementedError

    def check(self, data: Any, *, row: int, record: Any) -> list[FieldError]:
        raise NotImplementedError

    def differs(self, record: Any, data: Any) -> bool:
        raise NotImplementedError

    def notes(
        self, record: Any, values: dict[str, Any], header_of: dict[str, str], row: int
    ) -> list[FieldError]:
        return []

    def create(self, data: Any, by: Any) -> None:
        raise NotImplementedError

    def update(self, record: Any, data: Any, by: Any) -> None:
        raise NotImplementedError

    def export_row(self, record: Any, user: Any) -> list[Any]:
        raise NotImplementedError


def _differs(record: Any, fields: dict[str, Any]) -> bool:
    return any(getattr(record, name) != value for name, value in fields.items())


class _MemberSheet(_Sheet):
    kind = MEMBERS
    title = "Thành viên"
    file_stem = "thanh-vien"
    required_when_new = ("joined_on",)

    columns_for = staticmethod(_member_columns)

    def existing(self) -> dict[str, Member]:
        members = Member.objects.filter(organization=self.organization)
        return {m.code: m for m in members.prefetch_related("memberships")}

    def data_for(self, values: dict[str, Any], record: Member | None) -> MemberData:
        given = {k: v for k, v in values.items() if v is not KEEP}
        if record is not None:
            # Membership dates are history with their own actions; an import leaves them.
            given.pop("joined_on", None)
            return replace(_member_data(record), **given)
        if given.get("joined_on") is None:
            given["joined_on"] = timezone.localdate()
        return replace(MemberData(code="", head_of_household="", joined_on=date.min), **given)

    def check(self, data: MemberData, *, row: int, record: Member | None) -> list[FieldError]:
        errors = services.check_member_data(data, row=row)
        if record is not None:
            errors = [e for e in errors if e.field not in ("code", "joined_on")]
        return errors

    def differs(self, record: Member, data: MemberData) -> bool:
        return _differs(record, services.member_fields(data))

    def notes(
        self, record: Member, values: dict[str, Any], header_of: dict[str, str], row: int
    ) -> list[FieldError]:
        given = values.get("joined_on")
        if given is None or given == _joined_on(record):
            return []
        reason = _(
            "differs from the recorded date, which an import does not change: "
            "change it on the member's page"
        )
        return [FieldError(header_of["joined_on"], reason, given.strftime("%d/%m/%Y"), row)]

    def create(self, data: MemberData, by: Any) -> None:
        services.create_member(organization=self.organization, data=data, by=by)

    def update(self, record: Member, data: MemberData, by: Any) -> None:
        services.update_member(member=record, data=data, by=by)

    def export_row(self, record: Member, user: Any) -> list[Any]:
        personal = sees_personal_data(user, record)
        national_id = record.national_id if personal else record.national_id_masked
        return [
            record.code,
            record.head_of_household,
            GENDER_LABELS.get(record.gender, ""),
            record.birth_year,
            record.ethnicity,
            record.phone,
            record.ward_id or "",
            record.address,
            national_id,
            record.household_size,
            _joined_on(record),
            "Có" if record.public_consent else "Không",
            record.bank.short_name if record.bank else record.bank_bin,
            record.bank_account if personal else record.bank_account_masked,
            record.bank_account_holder,
        ]


def _joined_on(member: Member) -> date | None:
    """The date the household's present membership began (or its last one, if it left)."""
    memberships = sorted(member.memberships.all(), key=lambda m: m.joined_on)
    current = next((m for m in memberships if m.left_on is None), None)
    if current is not None:
        return current.joined_on
    return memberships[-1].joined_on if memberships else None


def _member_data(member: Member) -> MemberData:
    return MemberData(
        code=member.code,
        head_of_household=member.head_of_household,
        joined_on=_joined_on(member) or timezone.localdate(),
        gender=member.gender,
        ethnicity=member.ethnicity,
        birth_year=member.birth_year,
        phone=member.phone,
        ward_code=member.ward_id or "",
        address=member.address,
        national_id=member.national_id,
        household_size=member.household_size,
        public_consent=member.public_consent,
        bank_bin=member.bank_bin,
        bank_account=member.bank_account,
        bank_account_holder=member.bank_account_holder,
    )


class _FacilitySheet(_Sheet):
    kind = FACILITIES
    title = "Cơ sở"
    file_stem = "co-so"

    columns_for = staticmethod(_facility_columns)

    def existing(self) -> dict[str, Facility]:
        return {f.code: f for f in Facility.objects.filter(organization=self.organization)}

    def data_for(self, values: dict[str, Any], record: Facility | None) -> FacilityData:
        base = _facility_data(record) if record else FacilityData(code="", name="", kind="")
        return replace(base, **values)

    def check(self, data: FacilityData, *, row: int, record: Facility | None) -> list[FieldError]:
        errors = services.check_facility_data(data, row=row)
        if record is not None:
            errors = [e for e in errors if e.field != "code"]
        return errors

    def differs(self, record: Facility, data: FacilityData) -> bool:
        return _differs(record, services.facility_fields(data))

    def create(self, data: FacilityData, by: Any) -> None:
        services.create_facility(organization=self.organization, data=data, by=by)

    def update(self, record: Facility, data: FacilityData, by: Any) -> None:
        services.update_facility(facility=record, data=data, by=by)

    def export_row(self, record: Facility, user: Any) -> list[Any]:
        return [
            record.code,
            record.name,
            KIND_LABELS.get(record.kind, record.kind),
            record.ward_id or "",
            record.address,
            _coordinate_text(record.latitude),
            _coordinate_text(record.longitude),
            record.packing_house_code,
            record.gln,
        ]


def _coordinate_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"


def _facility_data(facility: Facility) -> FacilityData:
    return FacilityData(
        code=facility.code,
        name=facility.name,
        kind=facility.kind,
        ward_code=facility.ward_id or "",
        address=facility.address,
        latitude=facility.latitude,
        longitude=facility.longitude,
        packing_house_code=facility.packing_house_code,
        gln=facility.gln,
    )


SHEETS: dict[str, type[_Sheet]] = {MEMBERS: _MemberSheet, FACILITIES: _FacilitySheet}


# --- Reading a file -----------------------------------------------------------------------


class FileRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Table:
    headers: list[str]
    rows: list[tuple[int, tuple[Any, ...]]]
    header_row: int = 1


def _blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _collect(numbered_rows: Iterator[tuple[int, tuple[Any, ...]]]) -> _Table:
    headers: list[str] | None = None
    header_row = 1
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in numbered_rows:
        if _blank(cells):
            continue
        if headers is None:
            headers = [plain(c) for c in cells]
            header_row = number
            continue
        if len(rows) == MAX_ROWS:
            raise FileRefused(
                _(
                    "The file has more than %(limit)s rows. "
                    "Split it into files of at most %(limit)s rows."
                )
                % {"limit": f"{MAX_ROWS:,}"}
            )
        rows.append((number, tuple(cells)))
    if headers is None:
        raise FileRefused(_("The file is empty."))
    if not rows:
        raise FileRefused(_("The file has column headers but no rows under them."))
    return _Table(headers=headers, rows=rows, header_row=header_row)


def _read_xlsx(content: bytes) -> _Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(
            _("This file cannot be read as an Excel workbook. Save it again as .xlsx and retry.")
        ) from None
    try:
        # The template's guide sheet comes second, but people move sheets around.
        sheet = next(
            (s for s in workbook.worksheets if s.title != GUIDE_SHEET), workbook.worksheets[0]
        )
        # Some programs write wrong sheet dimensions; read what is really there.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, values_only=True)
        return _collect(enumerate(rows, start=1))
    finally:
        workbook.close()


def _read_csv(content: bytes) -> _Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "This CSV file is not UTF-8 text. In Excel, save it as "
                '"CSV UTF-8 (Comma delimited)" and retry.'
            )
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in the Vietnamese locale separates with ";" (the comma is the decimal mark).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # Counted by record, not by line: a quoted cell may hold line breaks, and Excel
        # still shows it as one row.
        return _collect((number, tuple(cells)) for number, cells in enumerate(reader, start=1))
    except csv.Error:
        raise FileRefused(
            _("This CSV file is malformed (a quotation mark is not closed).")
        ) from None


def read_table(content: bytes, filename: str) -> _Table:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if extension == "xls" or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            _("Old Excel files (.xls) cannot be read. In Excel, save it as .xlsx and retry.")
        )
    if extension in ("xlsx", "xlsm") or content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if extension in ("csv", "txt", ""):
        return _read_csv(content)
    raise FileRefused(
        _("Choose an Excel (.xlsx) or CSV file; %(name)s is neither.") % {"name": filename}
    )


def read_upload(file: IO[bytes]) -> bytes:
    content = file.read(MAX_BYTES + 1)
    return content if isinstance(content, bytes) else content.encode()


# --- Importing ----------------------------------------------------------------------------


def import_members(
    *,
    organization: Organization,
    file: IO[bytes],
    filename: str,
    dry_run: bool,
    by: Any,
    progress: Progress | None = None,
) -> ImportReport:
    """Create and update member households from a list; all rows or none.

    Existing households (same member code) are updated only where the file differs, and their
    membership dates are kept. A dry run reports the same without writing.
    """
    require_write(by, organization)
    report = ImportReport(kind=MEMBERS, filename=filename, dry_run=dry_run)
    if not organization.is_cooperative:
        report.errors.append(
            FieldError(FILE_FIELD, _("only a cooperative or cooperative group has members"))
        )
        return report
    return _import(_MemberSheet(organization), file, report, by=by, progress=progress)


def import_facilities(
    *,
    organization: Organization,
    file: IO[bytes],
    filename: str,
    dry_run: bool,
    by: Any,
    progress: Progress | None = None,
) -> ImportReport:
    """Create and update an organization's facilities from a list; all rows or none."""
    require_write(by, organization)
    report = ImportReport(kind=FACILITIES, filename=filename, dry_run=dry_run)
    return _import(_FacilitySheet(organization), file, report, by=by, progress=progress)


def _import(
    sheet: _Sheet, file: IO[bytes], report: ImportReport, *, by: Any, progress: Progress | None
) -> ImportReport:
    try:
        table = read_table(read_upload(file), report.filename)
    except FileRefused as refused:
        report.errors.append(FieldError(FILE_FIELD, refused.reason))
        return report
    if report.dry_run:
        _plan(sheet, table, report, progress)
        return report
    with transaction.atomic():
        plan = _plan(sheet, table, report, progress)
        if report.ok:
            _apply(sheet, plan, by=by, progress=progress, done=len(table.rows))
    return report


def _map_headers(
    sheet: _Sheet, headers: list[str], report: ImportReport, *, row: int
) -> dict[str, tuple[int, str]]:
    """Which column of the file holds which field, as {field: (index, header as written)}."""
    known = {c.key: c for c in sheet.columns} | {header_key(c.field): c for c in sheet.columns}
    found: dict[str, tuple[int, str]] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = known.get(header_key(header))
        if column is None:
            expected = ", ".join(c.header for c in sheet.columns)
            report.errors.append(
                FieldError(
                    header,
                    _("is not a column of this list (expected: %(columns)s)")
                    % {"columns": expected},
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
    for column in sheet.columns:
        if column.required and column.field not in found:
            report.errors.append(FieldError(column.header, _("this column is missing"), "", row))
    return found


@dataclass
class _Step:
    record: Any
    data: Any


def _plan(
    sheet: _Sheet, table: _Table, report: ImportReport, progress: Progress | None
) -> list[_Step]:
    """Read and check every row, count what would change, and list the writes to make."""
    found = _map_headers(sheet, table.headers, report, row=table.header_row)
    if report.errors:
        return []
    rows = _Rows(sheet, found, table.headers, existing=sheet.existing())
    report.rows = len(table.rows)
    total = report.rows if report.dry_run else 2 * report.rows
    steps: list[_Step] = []
    for done, (number, cells) in enumerate(table.rows, start=1):
        step, errors, warnings = rows.read(number, cells)
        report.errors.extend(errors)
        report.warnings.extend(warnings)
        if step is not None:
            steps.append(step)
            if step.record is None:
                report.created += 1
            elif sheet.differs(step.record, step.data):
                report.updated += 1
            else:
                report.unchanged += 1
        if progress is not None:
            progress(done, total)
    if report.errors:
        report.created = report.updated = report.unchanged = 0
        steps = []
        if progress is not None:
            progress(total, total)
    return steps


class _Rows:
    """Turns the file's rows into checked data, remembering what earlier rows held."""

    def __init__(
        self,
        sheet: _Sheet,
        found: dict[str, tuple[int, str]],
        headers: list[str],
        *,
        existing: dict[str, Any],
    ) -> None:
        self.sheet = sheet
        self.found = found
        self.columns = {c.field: c for c in sheet.columns}
        self.header_of = {c.field: found.get(c.field, (0, c.header))[1] for c in sheet.columns}
        self.headers = headers
        self.existing = existing
        self.codes: dict[str, int] = {}
        self.phones: dict[str, int] = {}

    def _unnamed(self, index: int) -> bool:
        return index >= len(self.headers) or not self.headers[index]

    def read(
        self, number: int, cells: tuple[Any, ...]
    ) -> tuple[_Step | None, list[FieldError], list[FieldError]]:
        raw = {name: cells[i] if i < len(cells) else None for name, (i, _h) in self.found.items()}
        values: dict[str, Any] = {}
        errors: list[FieldError] = []
        warnings: list[FieldError] = []

        def refuse(name: str, reason: str, value: Any) -> None:
            errors.append(FieldError(self.header_of.get(name, name), reason, value, number))

        for name, value in raw.items():
            try:
                values[name] = self.columns[name].read(value)
            except Refused as refused:
                refuse(name, refused.reason, _shown(name, value))
        for index, cell in enumerate(cells):
            if self._unnamed(index) and not _blank([cell]):
                errors.append(
                    FieldError(
                        get_column_letter(index + 1),
                        _("has a value but the column has no header"),
                        plain(cell),
                        number,
                    )
                )
        unreadable = set(raw) - set(values)
        code = values.get("code", "")
        record = self.existing.get(code)
        if record is None:
            for name in self.sheet.required_when_new:
                if name in values and values[name] is None:
                    refuse(name, _("is required for a new entry"), "")
                    unreadable.add(name)
        data = self.sheet.data_for(values, record)
        for error in self.sheet.check(data, row=number, record=record):
            if error.field in unreadable:
                continue
            shown = error.value if error.field not in raw else _shown(error.field, raw[error.field])
            refuse(error.field, error.reason, shown)

        if code in self.codes:
            refuse(
                "code",
                _("is used again: row %(row)d has the same code") % {"row": self.codes[code]},
                code,
            )
        elif code:
            self.codes[code] = number
        phone = services.clean_phone(values.get("phone") or "")
        if phone in self.phones:
            warnings.append(
                FieldError(
                    self.header_of["phone"],
                    _("is the same phone number as row %(row)d (accepted)")
                    % {"row": self.phones[phone]},
                    phone,
                    number,
                )
            )
        elif phone:
            self.phones[phone] = number
        if record is not None:
            warnings.extend(self.sheet.notes(record, values, self.header_of, number))
        return (None if errors else _Step(record, data)), errors, warnings


def _shown(name: str, value: Any) -> str:
    """A cell's value as the report shows it; a national ID is not repeated back."""
    if name in ("national_id", "bank_account") and value not in (None, ""):
        return "…"
    return plain(value)


def _apply(
    sheet: _Sheet, steps: list[_Step], *, by: Any, progress: Progress | None, done: int
) -> None:
    total = 2 * done
    for offset, step in enumerate(steps, start=1):
        if step.record is None:
            sheet.create(step.data, by)
        elif sheet.differs(step.record, step.data):
            sheet.update(step.record, step.data, by)
        if progress is not None:
            progress(done + offset, total)
    if progress is not None:
        progress(total, total)


# --- Templates and exports ----------------------------------------------------------------


def _check_format(fmt: str) -> str:
    if fmt not in (XLSX, CSV):
        raise InvalidInput(
            detail=_("Choose the format xlsx or csv."),
            errors=[FieldError("format", _("must be xlsx or csv"), fmt)],
        )
    return fmt


def _check_kind(kind: str) -> type[_Sheet]:
    if kind not in SHEETS:
        raise NotFound(detail=_("No such list: %(kind)s.") % {"kind": kind})
    return SHEETS[kind]


def template_columns(kind: str) -> tuple[Column, ...]:
    """The columns of a list as the template and exports write them."""
    return _check_kind(kind).columns_for(_WardFinder(None))


def template_workbook(kind: str) -> bytes:
    """An .xlsx to fill in: the headers and one example row, and a sheet explaining each column."""
    sheet_class = _check_kind(kind)
    columns = template_columns(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_class.title
    sheet.append([c.header for c in columns])
    sheet.append([c.example for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        example = sheet.cell(row=2, column=index)
        if column.text_cell:
            # Typed as text, codes and phone numbers keep their leading zeros.
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        if isinstance(column.example, date):
            example.number_format = "DD/MM/YYYY"
        if column.choices:
            choices = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            sheet.add_data_validation(choices)
            choices.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    for line in _guide_lines(kind):
        guide.append([line])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        example = column.example
        if isinstance(example, date):
            example = example.strftime("%d/%m/%Y")
        guide.append([column.header, "Có" if column.required else "", column.guide, example])
    guide.column_dimensions["A"].width = 22
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 20
    for row in guide.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


def _guide_lines(kind: str) -> list[str]:
    entry = "một hộ thành viên" if kind == MEMBERS else "một cơ sở"
    return [
        "Cách điền danh sách",
        "Dòng 1 là tiêu đề cột: giữ nguyên tên cột. Mỗi dòng tiếp theo là " + entry + ".",
        "Xoá dòng ví dụ trước khi nhập.",
        "Có thể bỏ các cột không bắt buộc: dữ liệu đã có của các cột đó được giữ nguyên. "
        "Ô để trống trong một cột có trong tệp sẽ xoá giá trị cũ.",
        "Nếu có dòng lỗi, không dòng nào được nhập: báo cáo nêu số dòng, cột và lý do; "
        "sửa rồi nhập lại. Có thể chọn “Chỉ kiểm tra” để xem trước mà không ghi gì.",
        "Nhập lại cùng một tệp không tạo bản ghi trùng: mỗi dòng được nhận theo mã.",
        f"Tối đa {MAX_ROWS:,} dòng mỗi tệp.".replace(",", "."),
        "Tệp CSV cần mã hoá UTF-8; dấu phân cách là dấu phẩy hoặc dấu chấm phẩy.",
    ]


def template_csv(kind: str) -> bytes:
    columns = template_columns(kind)
    return csv_bytes([[c.header for c in columns], [_csv_cell(c.example) for c in columns]])


def template_file(kind: str, fmt: str) -> bytes:
    return template_workbook(kind) if _check_format(fmt) == XLSX else template_csv(kind)


def template_filename(kind: str, fmt: str) -> str:
    return f"mau-{_check_kind(kind).file_stem}.{_check_format(fmt)}"


def export_members(*, user: Any, organization: Organization, fmt: str) -> bytes:
    """The cooperative's households as a list that imports back unchanged.

    National ID numbers are written in full only for users who may see them.
    """
    _check_format(fmt)
    _require_sight(user, organization)
    members = selectors.member_list(user, organization=organization).order_by("code")
    return _export(_MemberSheet(organization), members, user=user, fmt=fmt)


def export_facilities(*, user: Any, organization: Organization, fmt: str) -> bytes:
    _check_format(fmt)
    _require_sight(user, organization)
    facilities = selectors.facility_list(user, organization=organization).order_by("code")
    return _export(_FacilitySheet(organization), facilities, user=user, fmt=fmt)


def export_filename(kind: str, organization: Organization, fmt: str) -> str:
    """thanh-vien-htx-ea-tul-2025-08-01.xlsx: the list, whose it is, and the day it was taken."""
    owner = slugify(fold(organization.short_name)) or str(organization.pk)
    day = timezone.localdate().isoformat()
    return f"{_check_kind(kind).file_stem}-{owner}-{day}.{_check_format(fmt)}"


def _require_sight(user: Any, organization: Organization) -> None:
    if organization.pk not in grants_for(user).org_ids:
        raise NotFound(detail=_("No organization matches."))


def _export(sheet: _Sheet, records: Iterable[Any], *, user: Any, fmt: str) -> bytes:
    rows = (sheet.export_row(record, user) for record in records)
    if fmt == CSV:
        header = [c.header for c in sheet.columns]
        return csv_bytes([header, *([_csv_cell(v) for v in row] for row in rows)])
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(sheet.title)
    out.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        out.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    bold = Font(bold=True)
    out.append([_cell(out, c.header, font=bold) for c in sheet.columns])
    for row in rows:
        out.append(
            [
                _cell(out, value, text=c.text_cell)
                for c, value in zip(sheet.columns, row, strict=True)
            ]
        )
    return workbook_bytes(workbook)


def _cell(sheet: Any, value: Any, *, text: bool = False, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    if isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    elif text:
        cell.number_format = "@"
    return cell


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    # The byte-order mark tells Excel the file is UTF-8, so Vietnamese reads correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
