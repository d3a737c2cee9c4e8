"""A collector records a delivery on a 360 px phone, or on an 800 × 1280 tablet, and reads the
receipt with its price and quality flags."""

import pytest

from coopchain.browser import log_in, use_english
from coopchain.dairy.models import Delivery
from coopchain.parties.tests.factories import PASSWORD

pytestmark = pytest.mark.browser
TABLET = {"width": 800, "height": 1280}


def record(page, *, quantity: str, fat: str, snf: str, density: str = "", width: int) -> None:
    """Fill the collection screen as a collector does and save it."""
    page.goto("/dairy/collect")
    page.fill("input[name=member]", "nguyen thi dao")
    page.fill("input[name=quantity]", quantity)
    page.fill("input[name=fat]", fat)
    page.fill("input[name=snf]", snf)
    if density:
        page.locator("#collect-form details summary").click()
        page.fill("input[name=density]", density)
    page.fill("input[name=temperature]", "4")
    page.check("input[name=antibiotic][value=negative]")
    save = page.locator("#save-delivery")
    assert save.bounding_box()["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_navigation():
        save.click()


def test_a_collector_records_a_delivery_on_a_phone_and_sees_the_receipt_with_price(
    page, collector, member, centre, chart
):
    use_english(page)
    log_in(page, "collector", PASSWORD)

    record(page, quantity="21.5", fat="3.8", snf="8.6", width=360)

    receipt = page.locator("#receipt")
    assert "Nguyễn Thị Đào" in receipt.inner_text()
    assert "21.50 kg" in page.locator("#receipt-quantity").inner_text()
    assert "306,375 VND" in page.locator("#receipt-price").inner_text()
    assert Delivery.objects.get().member == member


def test_a_collector_records_a_watered_delivery_on_a_tablet_and_sees_its_price_and_flags(
    page, collector, member, centre, chart
):
    page.set_viewport_size(TABLET)
    use_english(page)
    log_in(page, "collector", PASSWORD)

    record(page, quantity="20", fat="3.8", snf="7.6", density="1.022", width=TABLET["width"])

    # Total solids 11.4 % fall below the 11.5 % grade: 14,000 − 700 VND/kg.
    assert "13,300 VND/kg" in page.locator("#receipt-price").inner_text()
    assert "266,000 VND" in page.locator("#receipt-price").inner_text()
    flags = page.locator("#receipt-flags").inner_text()
    assert "Possibly watered: SNF 7.6 % is below" in flags
    assert "Density 1.022 g/ml is below the 1.026 g/ml minimum." in flags
    assert page.locator("#receipt").bounding_box()["width"] <= TABLET["width"]
