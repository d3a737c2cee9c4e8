"""A farmer keeps the diary on a 360 px phone: a spray, then a harvest inside its interval."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coopchain.browser import log_in, use_english
from coopchain.diary.catalogue import seed_input_products
from coopchain.diary.models import Activity, InputProduct, InputProductPHI
from coopchain.diary.tests.factories import make_plot
from coopchain.land.crops import seed_crops
from coopchain.land.models import Crop
from coopchain.parties.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def coffee_plot(member):
    # The live server's database is emptied between tests, seeded catalogues included.
    seed_crops(Crop)
    return make_plot(member, "EA-01", crop="coffee-robusta")


@pytest.fixture
def abamectin(coffee_plot):
    seed_input_products(InputProduct, InputProductPHI, Crop)
    product = InputProduct.objects.get(organization=None, name="Abamectin 1.8 EC")
    assert product.phis.get(crop__code="coffee-robusta").days == 14
    return product


def touch_height(locator) -> float:
    return locator.bounding_box()["height"]


def test_a_spray_then_a_harvest_inside_the_phi_shows_the_finding_and_an_ineligible_lot(
    page, farmer, member, coffee_plot, abamectin
):
    use_english(page)
    log_in(page, "farmer", PASSWORD)

    # The spray: what was done (a big button), the product, the quantity, save.
    page.goto("/diary/new")
    spraying = page.locator("#kind-spraying")
    assert touch_height(spraying) >= 48
    spraying.click()
    page.wait_for_load_state()
    assert page.locator("input[name=plot]").first.is_checked()  # the household's only plot
    page.select_option("select[name=product_1]", label="Abamectin 1.8 EC")
    page.fill("input[name=quantity_1]", "0.4")
    assert page.input_value("select[name=unit_1]") == "LTR"
    save = page.locator("#save-entry")
    assert touch_height(save) >= 48
    save.click()
    page.wait_for_load_state()

    assert "Entry recorded." in page.locator(".messages").inner_text()
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 360, "the page scrolls sideways on a 360 px phone"

    # The harvest, the same day: the form warns before anything is recorded.
    page.goto("/diary/new")
    page.locator("#kind-harvest").click()
    page.wait_for_load_state()
    page.fill("input[name=harvest_quantity]", "850")
    page.locator("#save-entry").click()
    page.wait_for_load_state()

    warning = page.locator("#harvest-findings").inner_text()
    sprayed_on = timezone.localdate().strftime("%d/%m/%Y")
    safe_from = (timezone.localdate() + timedelta(days=14)).strftime("%d/%m/%Y")
    assert f"pre-harvest interval of Abamectin 1.8 EC applied on {sprayed_on}" in warning
    assert f"not before {safe_from}" in warning
    assert "The lot will not be eligible for certified claims. Record anyway?" in warning
    assert not Activity.objects.filter(kind="harvest").exists()

    page.locator("#confirm-harvest").click()
    page.wait_for_load_state()

    lot = page.locator("#lot-eligibility").inner_text()
    assert "not eligible for certified claims" in lot
    assert "Abamectin 1.8 EC" in lot
    harvest = Activity.objects.get(kind="harvest")
    assert harvest.eligibility.eligible is False
    assert harvest.household == member

    # The plot's diary shows both entries, the harvest with its finding.
    page.goto(f"/diary/plots/{coffee_plot.pk}/")
    timeline = page.locator(".timeline").inner_text()
    assert "Harvest" in timeline
    assert "Spraying" in timeline
    assert "1 finding" in timeline
