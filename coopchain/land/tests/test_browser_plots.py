"""A cooperative's manager on a phone: the plots on the map, and a plot drawn with a finger."""

import json

import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.land.crops import seed_crops
from coopchain.land.models import Crop, Plot
from coopchain.land.services import add_crop
from coopchain.land.tests.factories import PlotFactory
from coopchain.land.tests.shapes import point, square
from coopchain.parties.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def crops(admin_units_loaded):
    # The live server's table flush empties the catalogue the data migration seeded.
    seed_crops(Crop)


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_the_map_draws_the_cooperatives_plots_coloured_by_crop(page, manager, member, crops):
    coffee = PlotFactory(member=member, code="EA-01", geometry=square())
    add_crop(plot=coffee, crop=Crop.objects.get(code="coffee-robusta"), by=manager)
    PlotFactory(member=member, code="EA-02", geometry=point(lon=108.033001), declared_area_ha=0.5)
    problems = watch_console(page)
    log_in(page, "manager", PASSWORD)
    use_english(page)

    page.goto("/plots/map")

    expect(page.locator("#plots-map")).to_have_attribute("data-loaded", "2")
    expect(page.locator("#map-status")).to_have_text("2 plots on the map.")
    shapes = page.locator("#plots-map path.leaflet-interactive")
    expect(shapes).to_have_count(2)
    assert shapes.first.get_attribute("fill") == "#6d4c41"
    expect(page.locator("#map-legend")).to_contain_text("Coffee (Robusta)")
    shapes.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("EA-01")
    expect(popup.get_by_role("link")).to_have_attribute("href", f"/plots/{coffee.pk}/")
    assert problems == []


def test_a_plot_drawn_on_the_map_is_saved_with_its_computed_area(page, manager, member, crops):
    problems = watch_console(page)
    log_in(page, "manager", PASSWORD)
    use_english(page)

    page.goto("/plots/new")
    zoom_in = page.get_by_role("button", name="Zoom in")
    for _ in range(6):
        zoom_in.click()
    box = page.locator("#plot-draw").bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-60, -40), (50, -50), (70, 40), (-40, 60)):
        page.mouse.click(centre_x + dx, centre_y + dy)
    page.get_by_role("button", name="Finish").click()
    geometry = json.loads(page.locator("#id_geometry").input_value())
    page.fill("#id_code", "VE-01")
    page.select_option("#id_member", member.code)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    plot = Plot.objects.get(code="VE-01")
    assert geometry["type"] == "Polygon"
    assert len(geometry["coordinates"][0]) == 5
    assert plot.geometry == geometry
    assert plot.area_ha > 0
    expect(page.locator("h1")).to_contain_text("VE-01")
    expect(page.locator("#plot-map path.leaflet-interactive")).to_have_count(1)
    assert problems == []


def test_the_plot_list_fits_a_phone_screen(page, manager, member, crops):
    PlotFactory(member=member, code="EA-01")
    log_in(page, "manager", PASSWORD)

    page.goto("/plots/")

    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    expect(page.get_by_role("searchbox")).to_be_in_viewport()
