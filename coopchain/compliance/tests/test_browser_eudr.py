"""The exporter on a phone: the demo container mixing a plot cleared from forest is refused
with the plot named, and the clean container's statement gives a GeoJSON the EU accepts."""

import geojson
import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.compliance.demo import (
    CLEAN_CONTAINER,
    EXPORTER_STAFF,
    FOREST_CODE,
    FOREST_CONTAINER,
    _sscc,
)
from coopchain.parties.demo import DEMO_PASSWORD, load_demo
from coopchain.trace.models import Lot

pytestmark = pytest.mark.browser


def test_the_exporter_sees_the_failing_plot_and_downloads_the_clean_containers_geojson(
    page, tmp_path
):
    load_demo()
    failing = Lot.objects.get(epc=_sscc(FOREST_CONTAINER))
    clean = Lot.objects.get(epc=_sscc(CLEAN_CONTAINER))
    log_in(page, EXPORTER_STAFF, DEMO_PASSWORD)
    use_english(page)

    page.goto(f"/compliance/lots/{failing.pk}/eudr")
    expect(page.locator("#eudr-verdict")).to_contain_text("Nothing can be exported")
    row = page.locator("#eudr-plots tbody tr", has_text=FOREST_CODE)
    expect(row).to_contain_text("forest was cleared on 2022-03-01")
    expect(page.get_by_role("button", name="Prepare the statement")).to_have_count(0)

    page.goto(f"/compliance/lots/{clean.pk}/eudr")
    expect(page.locator("#eudr-verdict")).to_contain_text("Every plot passes")
    page.get_by_label("Description of the goods").fill("Green Robusta coffee, grade 1")
    page.get_by_label("Net mass (kg)").fill("19200")
    with page.expect_navigation():
        page.get_by_role("button", name="Prepare the statement").click()
    expect(page.locator("h1")).to_contain_text("Due-diligence statement")
    with page.expect_download() as download:
        page.locator("#downloads a", has_text="GeoJSON").first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)

    collection = geojson.loads(path.read_text(encoding="utf-8"))
    assert collection.is_valid, collection.errors()
    assert path.name.endswith(".geojson")
    assert len(collection["features"]) == 7  # six plots, the ring-shaped one in two halves
