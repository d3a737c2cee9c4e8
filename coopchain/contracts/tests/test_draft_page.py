"""A cooperative manager or a buyer drafts a contract on a page with its terms, windows and
grades; a refused draft says why beside the field."""

import pytest
from django.urls import reverse

from coopchain.contracts.models import LinkageContract
from coopchain.parties.models import AdminUnit


def draft(exporter, **changes):
    body = {
        "our_side": "seller",
        "counterparty": exporter.pk if exporter else "",
        "number": "HĐ-WEB-1",
        "commodity": "Cà phê nhân Robusta",
        "season": "2025/26",
        "starts_on": "2025-10-01",
        "ends_on": "2026-03-31",
        "quantity_kg": "12000",
        "price_kind": "market",
        "market_province": AdminUnit.objects.get(code="66").pk,
        "market_percent": "6",
        "floor_price": "100000",
        "ceiling_price": "",
        "recovery_percent": "0",
        "windows-TOTAL_FORMS": "3",
        "windows-INITIAL_FORMS": "0",
        "windows-0-starts_on": "2025-10-01",
        "windows-0-ends_on": "2025-12-31",
        "windows-0-quantity_kg": "7000",
        "windows-1-starts_on": "2026-01-01",
        "windows-1-ends_on": "2026-03-31",
        "windows-1-quantity_kg": "5000",
        "grades-TOTAL_FORMS": "3",
        "grades-INITIAL_FORMS": "0",
        "grades-0-code": "L1",
        "grades-0-name": "Loại 1",
        "grades-0-adjustment": "1500",
        "grades-1-code": "DC",
        "grades-1-name": "Dưới chuẩn",
        "grades-1-adjustment": "-4000",
    }
    body.update(changes)
    return body


def test_a_manager_drafts_a_contract_with_its_windows_and_grades(client, manager, exporter, coop):
    client.force_login(manager)

    page = client.post(reverse("contracts:new"), draft(exporter), follow=True)

    contract = LinkageContract.objects.get(number="HĐ-WEB-1")
    assert (contract.seller, contract.buyer) == (coop, exporter)
    assert contract.status == LinkageContract.Status.DRAFT
    assert [w.quantity_kg for w in contract.windows.all()] == [7000, 5000]
    assert [(g.code, g.adjustment) for g in contract.grades.all()] == [("L1", 1500), ("DC", -4000)]
    assert "Contract drafted: both parties now sign it." in page.content.decode()
    assert "Sign for the seller" in page.content.decode()


def test_a_buyer_drafts_a_contract_as_the_buyer(client, buyer, exporter, coop):
    client.force_login(buyer)

    client.post(
        reverse("contracts:new"),
        draft(exporter, our_side="buyer", counterparty=coop.pk, **{"grades-TOTAL_FORMS": "0"}),
    )

    contract = LinkageContract.objects.get(number="HĐ-WEB-1")
    assert (contract.seller, contract.buyer) == (coop, exporter)


def test_a_cooperative_drafts_the_purchase_of_its_own_members_output(client, manager, coop):
    client.force_login(manager)

    client.post(
        reverse("contracts:new"),
        draft(None, counterparty="", from_members="on", **{"market_percent": "8"}),
    )

    contract = LinkageContract.objects.get(number="HĐ-WEB-1")
    assert contract.from_members
    assert (contract.buyer, contract.seller) == (coop, coop)


def test_windows_beyond_the_contracted_quantity_are_refused_with_the_reason(
    client, manager, exporter
):
    client.force_login(manager)

    page = client.post(reverse("contracts:new"), draft(exporter, quantity_kg="10000"))

    assert page.status_code == 200
    assert "add up to more than the contracted quantity" in page.content.decode()
    assert not LinkageContract.objects.exists()


def test_a_half_filled_window_is_refused_beside_its_field(client, manager, exporter):
    client.force_login(manager)

    page = client.post(reverse("contracts:new"), draft(exporter, **{"windows-2-quantity_kg": "5"}))

    assert "This field is required." in page.content.decode()
    assert not LinkageContract.objects.exists()


def test_a_farmer_cannot_draft_a_contract(client, farmer):
    client.force_login(farmer)

    assert client.get(reverse("contracts:new")).status_code == 403


@pytest.mark.parametrize("kind", ["seller", "buyer"])
def test_the_page_offers_the_users_side(client, manager, buyer, exporter, kind):
    client.force_login(manager if kind == "seller" else buyer)

    page = client.get(reverse("contracts:new")).content.decode()

    assert f'value="{kind}" checked' in page or f'value="{kind}" selected' in page
