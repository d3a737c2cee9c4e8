"""On a phone: a cooperative manager drafts a contract, both parties sign it, each logged in
as themselves, and the seller records a delivery and reads its computed price."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.contracts.models import ContractDelivery, LinkageContract
from coopchain.contracts.tests.factories import COFFEE, market_price
from coopchain.parties.models import AdminUnit
from coopchain.parties.tests.factories import PASSWORD
from coopchain.trace.tests import factories as trace

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()


def sign(page, contract: LinkageContract, side: str) -> None:
    page.goto(f"/contracts/{contract.pk}/")
    with page.expect_navigation():
        page.locator(f"button[name=side][value={side}]").click()
    expect(page.locator(".message, [role=status]").first).to_contain_text("Signed")


def test_both_parties_sign_on_their_phones_and_a_delivery_shows_its_computed_price(
    page, manager, buyer, exporter, coop, member
):
    from django.utils import timezone

    today = timezone.localdate()
    market_price(today - timedelta(days=2), 100_000)
    lot = trace.harvest(member, quantity=800, harvested_on=today - timedelta(days=3))
    use_english(page)

    log_in(page, "manager", PASSWORD)
    page.goto("/contracts/")
    with page.expect_navigation():
        page.locator("#new-contract").click()
    page.select_option("select[name=counterparty]", str(exporter.pk))
    page.fill("input[name=number]", "HĐ-PHONE-1")
    page.fill("input[name=commodity]", COFFEE)
    page.fill("input[name=starts_on]", (today - timedelta(days=30)).isoformat())
    page.fill("input[name=ends_on]", (today + timedelta(days=150)).isoformat())
    page.fill("input[name=quantity_kg]", "5000")
    page.check("input[name=price_kind][value=market]")
    page.select_option("select[name=market_province]", str(AdminUnit.objects.get(code="66").pk))
    page.fill("input[name=market_percent]", "6")
    page.fill("input[name=floor_price]", "90000")
    page.fill("input[name=grades-0-code]", "L1")
    page.fill("input[name=grades-0-name]", "Loại 1")
    page.fill("input[name=grades-0-adjustment]", "1500")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.locator("#draft-contract").click()
    contract = LinkageContract.objects.get(number="HĐ-PHONE-1")
    expect(page.locator("#contract-status")).to_have_text("Draft")
    sign(page, contract, "seller")
    assert page.locator("button[name=side][value=buyer]").count() == 0
    log_out(page)

    log_in(page, "buyer", PASSWORD)
    sign(page, contract, "buyer")
    expect(page.locator("#contract-status")).to_have_text("Signed")
    log_out(page)

    log_in(page, "manager", PASSWORD)
    page.goto(f"/contracts/{contract.pk}/")
    delivery = page.locator("#delivery-form")
    delivery.locator("select[name=lot]").select_option(str(lot.pk))
    delivery.locator("input[name=quantity_kg]").fill("800")
    delivery.locator("select[name=grade]").select_option(label="Loại 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the delivery").click()

    # 100,000 × 1.06 = 106,000, + 1,500 for grade 1
    expect(page.locator(".delivery-price").first).to_contain_text("107,500")
    expect(page.locator("body")).to_contain_text("Delivery recorded at 107,500 VND/kg.")
    expect(page.locator("#contract-status")).to_have_text("Active")
    assert ContractDelivery.objects.get().amount == 86_000_000
