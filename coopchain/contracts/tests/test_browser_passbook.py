"""The demo coffee farmer reads their statement on a 360 px phone: the balance, what the harvest
run paid them with each amount kept back, and their entries, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from coopchain.browser import log_in, use_english
from coopchain.contracts.models import PaymentLine, PaymentRun
from coopchain.contracts.payments_demo import HARVEST
from coopchain.parties.demo import DEMO_PASSWORD, load_demo
from coopchain.parties.models import Role

pytestmark = pytest.mark.browser


def test_the_demo_farmer_reads_balance_payments_and_entries_on_a_phone(page):
    load_demo()
    member = Role.objects.get(user__username="coffee_farmer").member
    line = PaymentLine.objects.get(
        member=member, run__period_start=HARVEST[0], run__status=PaymentRun.Status.PAID
    )
    log_in(page, "coffee_farmer", DEMO_PASSWORD)
    use_english(page)

    page.goto(f"/contracts/members/{member.pk}/passbook")

    expect(page.locator("#passbook-balance")).to_be_visible()
    run = page.locator(f"#run-{line.run_id}")
    expect(run).to_contain_text("01/10/2025–31/12/2025")
    expect(run).to_contain_text(f"{line.pay:,} VND")
    if line.deduction:
        expect(run).to_contain_text("Inputs on credit")
    expect(page.locator(".passbook-entries li").first).to_be_visible()
    expect(page.locator(".passbook-entries")).to_contain_text("Paid in the run for 01/10/2025")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert run.bounding_box()["width"] <= 360
