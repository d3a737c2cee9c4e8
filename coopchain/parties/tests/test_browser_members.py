"""A cooperative's manager on a phone: finding a household, and bringing in the list from Excel."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.parties.models import Member
from coopchain.parties.tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.browser

HEADERS = ["Mã thành viên", "Họ tên chủ hộ", "Ngày vào HTX", "Số điện thoại", "Dân tộc"]


def members_workbook(path: Path, rows: list[list[object]]) -> Path:
    """The list a cooperative keeps in Excel, with its Vietnamese column headers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Thành viên"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def search_members(page, text: str) -> None:
    page.goto("/members/")
    page.get_by_role("searchbox").fill(text)
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")


def test_a_household_is_found_by_its_name_typed_without_accents(page, manager, coop, member):
    MemberFactory(organization=coop, head_of_household="Nguyễn Văn Thành")
    log_in(page, "manager", PASSWORD)

    search_members(page, "nguyen thi dao")

    rows = page.locator("#members tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Thị Đào")
    with page.expect_navigation():
        rows.first.get_by_role("link", name="Nguyễn Thị Đào").click()
    expect(page.locator("h1")).to_have_text("Nguyễn Thị Đào")
    expect(page.locator("main")).to_contain_text(member.code)


def test_the_members_page_fits_a_phone_screen(page, manager, coop, member):
    log_in(page, "manager", PASSWORD)
    page.goto("/members/")

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= page.viewport_size["width"]
    expect(page.get_by_role("searchbox")).to_be_in_viewport()


def test_a_list_with_a_bad_row_is_refused_whole_then_imported_once_corrected(
    page, manager, coop, tmp_path
):
    joined = date(2021, 3, 8)
    good_row = ["TV0201", "Y Bhim Niê", joined, "0905123456", "Ê Đê"]
    bad_row = ["TV0202", "Hoàng Thị Hương Giang", joined, "12", "Kinh"]
    fixed_row = ["TV0202", "Hoàng Thị Hương Giang", joined, "0912345678", "Kinh"]
    log_in(page, "manager", PASSWORD)
    use_english(page)
    before = Member.objects.filter(organization=coop).count()

    page.goto("/members/import")
    page.locator("input[type=file][name=file]").set_input_files(
        members_workbook(tmp_path / "thanh-vien.xlsx", [good_row, bad_row])
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()

    expect(page.get_by_role("status")).to_contain_text("Nothing was imported")
    report = page.locator("table#import-report")
    expect(report.locator("thead th")).to_have_text(["Row", "Column", "Value", "Reason"])
    problems = report.locator("tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("td").nth(0)).to_have_text("3")
    expect(problems.first.locator("td").nth(1)).to_have_text("Số điện thoại")
    expect(problems.first.locator("td").nth(2)).to_have_text("12")
    assert Member.objects.filter(organization=coop).count() == before

    page.locator("input[type=file][name=file]").set_input_files(
        members_workbook(tmp_path / "thanh-vien-sua.xlsx", [good_row, fixed_row])
    )
    page.get_by_label(re.compile("Check only")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("2 would be added")
    expect(page.locator("table#import-report")).to_have_count(0)
    assert Member.objects.filter(organization=coop).count() == before

    page.locator("input[type=file][name=file]").set_input_files(tmp_path / "thanh-vien-sua.xlsx")
    page.get_by_label(re.compile("Check only")).uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 2 added")
    assert Member.objects.filter(organization=coop).count() == before + 2

    search_members(page, "hoang thi huong giang")
    rows = page.locator("#members tbody tr")
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        rows.first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Hoàng Thị Hương Giang")
    facts = page.locator("main")
    expect(facts).to_contain_text("TV0202")
    expect(facts).to_contain_text("0912345678")
