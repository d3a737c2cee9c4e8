"""The QR code's page on a phone, and a recall reaching it, in a real browser (360 px)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.parties.tests.factories import PASSWORD
from coopchain.trace.identifiers import public_uri
from coopchain.trace.models import Lot

pytestmark = pytest.mark.browser


def test_a_lots_digital_link_shows_its_origin_and_steps_and_then_its_recall(page, chain, manager):
    Lot.objects.filter(pk=chain.export_lot.pk).update(published=True)
    link = urlsplit(public_uri(chain.export_lot)).path
    assert link.startswith("/01/")  # a GS1 Digital Link, as a phone camera would open it
    use_english(page)

    page.goto(link)

    expect(page.locator("h1")).to_have_text(chain.export_lot.product.name)
    origin = page.locator("#origin")
    expect(origin).to_contain_text(chain.coop.name)
    expect(origin).to_contain_text(chain.coop.province.name)
    steps = page.locator("#steps")
    harvests = steps.locator("li", has_text="Harvested")
    expect(harvests).to_have_count(1)  # one line for the three households' harvests
    expect(harvests).to_contain_text(f"× {len(chain.harvests)}")
    expect(steps.locator("li", has_text="Processed")).to_have_count(2)
    expect(steps.locator("li", has_text="Shipped")).to_have_count(1)
    expect(steps).to_contain_text("Xưởng sơ chế Ea Tul")
    expect(page.locator("#recall-notice")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    log_in(page, "manager", PASSWORD)
    page.goto(f"/trace/lots/{chain.green.pk}/")
    page.locator("#start-recall").click()
    page.fill("textarea[name=reason]", "Ochratoxin A above the limit in the retained sample")
    with page.expect_navigation():
        page.get_by_role("button", name="Recall these lots").click()
    expect(page.locator("main")).to_contain_text(chain.roaster.name)

    page.goto(link)
    expect(page.locator("#recall-notice")).to_be_visible()
    expect(page.locator("#recall-notice")).to_contain_text("recalled")
