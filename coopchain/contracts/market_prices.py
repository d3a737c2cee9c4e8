"""Market prices from a file, and how a contract's price term resolves on a day.

An import reads a CSV or Excel file of reference prices (commodity, province, date, price,
source), one row a price, with English or Vietnamese column headers. It is all or nothing: a
file with any bad row writes nothing, and its report (`coopchain.parties.exchange.ImportReport`)
names every problem by the row and column the user sees. A row is keyed by commodity, province
and date, so the same file imported again changes nothing; a dry run reports what would change.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from coopchain.contracts import services, terms
from coopchain.contracts.models import LinkageContract, MarketPrice, QualityGrade
from coopchain.errors import CoopChainError, FieldError, Forbidden
from coopchain.lib.text import fold
from coopchain.parties import exchange
from coopchain.parties.models import AdminUnit
from coopchain.parties.tenancy import SYSTEM, grants_for

KIND = "market_prices"
# The column a value belongs to, as the report names it, and the headers it may carry.
COLUMNS: dict[str, tuple[str, ...]] = {
    "commodity": ("commodity", "mathang", "hanghoa", "sanpham"),
    "province": ("province", "provincecode", "tinh", "matinh", "tinhthanhpho", "thitruong"),
    "on": ("date", "ngay", "day"),
    "price": ("price", "pricevndkg", "gia", "giavndkg", "giavnd", "dongiavndkg"),
    "source": ("source", "nguon", "nguongia"),
}
TEMPLATE_HEADERS = ("Mặt hàng", "Tỉnh", "Ngày", "Giá (VND/kg)", "Nguồn")
MAX_PRICE = 100_000_000


def _key(header: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(str(header or "")))


def _require_recorder(user: Any) -> None:
    if user is not SYSTEM and not any(
        r.name in services.PARTY_ROLES for r in grants_for(user).roles
    ):
        raise Forbidden(detail=_("Your roles do not allow recording market prices."))


class _Provinces:
    """A province named by its official code (66, or 6 when a spreadsheet dropped the zero)
    or by its name, with or without "Tỉnh"/"Thành phố"."""

    def __init__(self) -> None:
        self.by_code: dict[str, AdminUnit] = {}
        self.by_name: dict[str, AdminUnit] = {}
        for unit in AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE):
            self.by_code[unit.code] = unit
            name = fold(unit.name)
            self.by_name[name] = unit
            for prefix in ("tinh ", "thanh pho "):
                if name.startswith(prefix):
                    self.by_name[name[len(prefix) :]] = unit

    def find(self, value: Any) -> AdminUnit | None:
        text = exchange.plain(value)
        if text.isdigit():
            return self.by_code.get(text.zfill(2))
        name = fold(text)
        for prefix in ("tinh ", "thanh pho ", "tp "):
            if name.startswith(prefix) and name[len(prefix) :] in self.by_name:
                return self.by_name[name[len(prefix) :]]
        return self.by_name.get(name)


def _price(value: Any) -> int | None:
    """A whole number of dong: 112500, 112.500 or 112,500 (thousands marks), 112500.0."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) else None
    text = exchange.plain(value).replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return int(number) if number == int(number) else None


@dataclass
class _Row:
    row: int
    commodity: str
    province: AdminUnit
    on: date
    price: int
    source: str


def _read(content: bytes, filename: str, report: exchange.ImportReport) -> list[_Row]:
    try:
        table = exchange.read_table(content, filename)
    except exchange.FileRefused as refused:
        report.errors.append(FieldError(exchange.FILE_FIELD, refused.reason))
        return []
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        key = _key(header)
        for column, spellings in COLUMNS.items():
            if key in spellings and column not in positions:
                positions[column] = index
    missing = [c for c in COLUMNS if c not in positions]
    for column in missing:
        report.errors.append(
            FieldError(
                column,
                _("no column has this header (one of: %(names)s)")
                % {"names": ", ".join(TEMPLATE_HEADERS)},
                None,
                table.header_row,
            )
        )
    if missing:
        return []
    provinces = _Provinces()
    seen: dict[tuple[str, str, date], int] = {}
    rows = []
    for number, cells in table.rows:
        report.rows += 1

        def cell(column: str, cells: tuple = cells) -> Any:
            index = positions[column]
            return cells[index] if index < len(cells) else None

        problems = []
        commodity = exchange.plain(cell("commodity"))
        if not commodity:
            problems.append(FieldError("commodity", _("is required"), None, number))
        province = provinces.find(cell("province"))
        if province is None:
            problems.append(
                FieldError(
                    "province",
                    _("is not a province's code or name"),
                    exchange.plain(cell("province")),
                    number,
                )
            )
        try:
            on = exchange.read_date(cell("on"))
        except exchange.Refused as refused:
            problems.append(FieldError("on", str(refused), exchange.plain(cell("on")), number))
            on = None
        else:
            if on is None:
                problems.append(FieldError("on", _("is required"), None, number))
        price = _price(cell("price"))
        if price is None or not 0 < price <= MAX_PRICE:
            problems.append(
                FieldError(
                    "price",
                    _("is not a whole number of dong per kg above zero"),
                    exchange.plain(cell("price")),
                    number,
                )
            )
        source = exchange.plain(cell("source"))
        if not source:
            problems.append(FieldError("source", _("is required"), None, number))
        if not problems:
            key = (fold(commodity), province.pk, on)
            if key in seen:
                problems.append(
                    FieldError(
                        "on",
                        _("repeats row %(row)s: one price per commodity, province and day")
                        % {"row": seen[key]},
                        on.strftime("%d/%m/%Y"),
                        number,
                    )
                )
            seen[key] = number
        report.errors += problems
        if not problems:
            rows.append(_Row(number, commodity[:120], province, on, price, source[:200]))
    return rows


def import_market_prices(
    *, file: IO[bytes], filename: str, dry_run: bool, by: Any
) -> exchange.ImportReport:
    """Read a file of market prices and, unless it is a dry run or has a bad row, store them."""
    _require_recorder(by)
    report = exchange.ImportReport(kind=KIND, filename=filename, dry_run=dry_run)
    rows = _read(exchange.read_upload(file), filename, report)
    if report.errors:
        return report
    with transaction.atomic():
        existing = {
            (m.commodity, m.province_id, m.on): m
            for m in MarketPrice.objects.filter(
                on__in={r.on for r in rows}, commodity__in={r.commodity for r in rows}
            )
        }
        new, changed = [], []
        for r in rows:
            stored = existing.get((r.commodity, r.province.pk, r.on))
            if stored is None:
                new.append(
                    MarketPrice(
                        commodity=r.commodity,
                        province=r.province,
                        on=r.on,
                        price=r.price,
                        source=r.source,
                    )
                )
            elif (stored.price, stored.source) != (r.price, r.source):
                stored.price, stored.source = r.price, r.source
                changed.append(stored)
            else:
                report.unchanged += 1
        report.created, report.updated = len(new), len(changed)
        if not dry_run:
            MarketPrice.objects.bulk_create(new, batch_size=500)
            MarketPrice.objects.bulk_update(changed, ["price", "source"], batch_size=500)
    return report


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TEMPLATE_HEADERS)
    writer.writerow(["Cà phê nhân xô Robusta", "66", "06/10/2025", "112500", "Sở Công Thương"])
    return ("\ufeff" + buffer.getvalue()).encode()


# --- How a price term resolves on a day ----------------------------------------------------


@dataclass
class Resolution:
    """The price the terms in force on `on` give, and each step that led to it."""

    on: date
    version: int
    per_kg: int | None = None
    steps: list[str] = field(default_factory=list)
    problem: str = ""


def resolve(contract: LinkageContract, on: date, grade: QualityGrade | None = None) -> Resolution:
    version = terms.in_force(contract, on)
    result = Resolution(on=on, version=version.number)
    try:
        price = services.price_on(contract, on, grade)
    except CoopChainError as error:
        result.problem = str(error)
        return result
    running = 0
    for line in price.lines:
        code, amount = line["code"], line["amount"]
        if code == "fixed":
            running = amount
            result.steps.append(_("Fixed price %(price)s VND/kg") % {"price": f"{amount:,}"})
        elif code == "market":
            reference = services.market_price_on(contract, on)
            running = amount
            result.steps.append(
                _("Market price %(price)s VND/kg on %(day)s (%(source)s)")
                % {
                    "price": f"{amount:,}",
                    "day": reference.on.strftime("%d/%m/%Y") if reference else "",
                    "source": reference.source if reference else "",
                }
            )
        elif code == "percent":
            running += amount
            result.steps.append(
                _("%(sign)s%(percent)s %% = %(price)s VND/kg")
                % {
                    "sign": "+" if Decimal(line["percent"]) >= 0 else "",
                    "percent": line["percent"],
                    "price": f"{running:,}",
                }
            )
        elif code == "grade":
            running += amount
            result.steps.append(
                _("quality grade %(amount)s = %(price)s VND/kg")
                % {"amount": f"{amount:+,}", "price": f"{running:,}"}
            )
        elif code == "floor":
            running += amount
            result.steps.append(
                _("floor %(price)s VND/kg applies → %(price)s VND/kg") % {"price": f"{running:,}"}
            )
        elif code == "ceiling":
            running += amount
            result.steps.append(
                _("ceiling %(price)s VND/kg applies → %(price)s VND/kg") % {"price": f"{running:,}"}
            )
        elif code == "zero":
            running = 0
            result.steps.append(_("never below zero → 0 VND/kg"))
    result.per_kg = price.per_kg
    return result
