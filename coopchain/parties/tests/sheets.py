"""Spreadsheets built in code for the import tests: the rows a user would type."""

import csv
import io
from typing import Any

from openpyxl import Workbook, load_workbook

MEMBER_HEADERS = [
    "Mã thành viên",
    "Họ tên chủ hộ",
    "Giới tính",
    "Năm sinh",
    "Dân tộc",
    "Số điện thoại",
    "Mã xã/phường",
    "Địa chỉ",
    "Số CCCD",
    "Số nhân khẩu",
    "Ngày vào HTX",
    "Đồng ý công khai",
    "Ngân hàng",
    "Số tài khoản",
    "Chủ tài khoản",
]
FACILITY_HEADERS = [
    "Mã cơ sở",
    "Tên cơ sở",
    "Loại",
    "Mã xã/phường",
    "Địa chỉ",
    "Vĩ độ",
    "Kinh độ",
    "Mã cơ sở đóng gói",
    "GLN",
]


def member_row(code: str = "TV0001", **overrides: Any) -> list[Any]:
    """One household in the template's column order."""
    values = {
        "Mã thành viên": code,
        "Họ tên chủ hộ": "Y Bhim Niê",
        "Giới tính": "Nam",
        "Năm sinh": "1978",
        "Dân tộc": "Ê Đê",
        "Số điện thoại": "0905123" + code[-3:],
        "Mã xã/phường": "24277",
        "Địa chỉ": "Buôn Ea Tul",
        "Số CCCD": "066078000" + code[-3:],
        "Số nhân khẩu": "5",
        "Ngày vào HTX": "15/01/2020",
        "Đồng ý công khai": "Không",
        "Ngân hàng": "",
        "Số tài khoản": "",
        "Chủ tài khoản": "",
    }
    values.update(overrides)
    return [values[h] for h in MEMBER_HEADERS]


def facility_row(code: str = "CS01", **overrides: Any) -> list[Any]:
    values = {
        "Mã cơ sở": code,
        "Tên cơ sở": "Điểm thu gom " + code,
        "Loại": "Điểm thu gom",
        "Mã xã/phường": "24277",
        "Địa chỉ": "Thôn 3",
        "Vĩ độ": "12.712345",
        "Kinh độ": "108.123456",
        "Mã cơ sở đóng gói": "",
        "GLN": "",
    }
    values.update(overrides)
    return [values[h] for h in FACILITY_HEADERS]


def xlsx(rows: list[list[Any]], *, title: str = "Thành viên") -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def csv_file(rows: list[list[Any]], *, delimiter: str = ",", bom: bool = False) -> io.BytesIO:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.getvalue().encode())


def read_xlsx(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
