"""The Đắk Lắk officer on a phone: the province dashboard, down to a lagging commune and its
cooperative, and back up to download every table as a workbook."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.parties.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser


def test_the_officer_drills_down_to_a_cooperative_and_downloads_the_workbook(page, tmp_path):
    load_demo()
    use_english(page)
    log_in(page, "officer_daklak", DEMO_PASSWORD)

    page.goto("/monitoring/province/")
    expect(page.locator("h2").first).to_contain_text("Cooperatives of")
    expect(page.locator("#commune-map")).to_contain_text("not available offline")
    expect(page.locator(".trend-chart").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.locator("#lagging-communes a", has_text="Xã Đắk Liêng").click()

    expect(page.locator("h1")).to_have_text("Xã Đắk Liêng")
    expect(page.locator("#commune-lags")).to_contain_text("short of the 2 per commune")
    expect(page.locator("#commune-models")).to_contain_text("Cà phê Đắk Liêng – Ban Mê")
    with page.expect_navigation():
        page.locator("#commune-cooperatives a", has_text="Đắk Liêng").click()

    expect(page.locator("h1")).to_have_text("Hợp tác xã Nông nghiệp Đắk Liêng")
    expect(page.locator("#figures-by-year")).to_contain_text("2025")
    expect(page.locator("#rating-title")).to_be_visible()
    with page.expect_navigation():
        page.locator("nav[aria-label=breadcrumb] a").first.click()

    with page.expect_download() as download:
        page.locator("#province-actions a", has_text="XLSX").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    workbook = load_workbook(path, read_only=True)
    assert path.name == "monitoring-66.xlsx"
    assert workbook.sheetnames[:2] == ["Targets", "Cooperatives"]
    cooperatives = [row[0] for row in workbook["Cooperatives"].iter_rows(values_only=True)]
    assert "Hợp tác xã Nông nghiệp Đắk Liêng" in cooperatives
    targets = list(workbook["Targets"].iter_rows(values_only=True))
    assert any(row[3] == 35 for row in targets[1:])
