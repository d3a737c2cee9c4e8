"""Milk bills as a file for the bank: one row per bill, amounts in whole dong."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from coopchain.dairy.models import MilkBill
from coopchain.parties.exchange import CSV


def _rows(bills: list[MilkBill]) -> list[list[object]]:
    header = [
        _("Member code"),
        _("Head of household"),
        _("Phone"),
        _("From"),
        _("To"),
        _("Deliveries"),
        _("Quantity, kg"),
        _("Gross, VND"),
        _("Deductions, VND"),
        _("Net to pay, VND"),
    ]
    rows: list[list[object]] = [header]
    for bill in bills:
        rows.append(
            [
                bill.member.code,
                bill.member.head_of_household,
                bill.member.phone,
                bill.period_start.isoformat(),
                bill.period_end.isoformat(),
                bill.delivery_count,
                bill.quantity_kg,
                bill.gross,
                bill.deductions,
                bill.net,
            ]
        )
    return rows


def bills_file(bills: list[MilkBill], fmt: str) -> bytes:
    rows = _rows(bills)
    if fmt == CSV:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        # The byte-order mark tells Excel the file is UTF-8, so Vietnamese reads correctly.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Milk bills")
    for row in rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
