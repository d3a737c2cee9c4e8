"""A collector records a delivery on a 360 px phone and reads the receipt with its price."""

import time

import pytest

from coopchain.browser import log_in, use_english
from coopchain.dairy.models import Delivery
from coopchain.parties.tests.factories import PASSWORD

pytestmark = pytest.mark.browser
ROUTINE_DELIVERY_SECONDS = 15


def test_a_collector_records_a_delivery_on_a_phone_and_sees_the_receipt_with_price(
    page, collector, member, centre, chart
):
    use_english(page)
    log_in(page, "collector", PASSWORD)

    started = time.perf_counter()
    page.goto("/dairy/collect")
    page.fill("input[name=member]", "nguyen thi dao")
    page.fill("input[name=quantity]", "21.5")
    page.fill("input[name=fat]", "3.8")
    page.fill("input[name=snf]", "8.6")
    page.fill("input[name=temperature]", "4")
    page.check("input[name=antibiotic][value=negative]")
    save = page.locator("#save-delivery")
    assert save.bounding_box()["height"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        save.click()
    elapsed = time.perf_counter() - started

    receipt = page.locator("#receipt")
    assert "Nguyễn Thị Đào" in receipt.inner_text()
    assert "21.50 kg" in page.locator("#receipt-quantity").inner_text()
    assert "306,375 VND" in page.locator("#receipt-price").inner_text()
    assert Delivery.objects.get().member == member
    assert elapsed < ROUTINE_DELIVERY_SECONDS
