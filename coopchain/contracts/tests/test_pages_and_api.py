"""Both parties read a contract on its page and through the API; the seller records a delivery
and sees the price the terms give it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.accounts.services import issue_api_token
from coopchain.contracts.models import LinkageContract
from coopchain.contracts.tests.factories import COFFEE, make_contract, market_price
from coopchain.trace.tests import factories as trace


def bearer(user):
    _token, secret = issue_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def current(exporter, coop):
    """A contract running now, market +6 % with a floor, and today's market price."""
    today = timezone.localdate()
    market_price(today - timedelta(days=1), 100000)
    return make_contract(
        exporter,
        coop,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=120),
        windows=[],
    )


def test_both_parties_see_the_contract_page_with_todays_price(client, current, buyer, manager):
    for user in (buyer, manager):
        client.force_login(user)
        page = client.get(reverse("contracts:detail", args=[current.pk]))
        listed = client.get(reverse("contracts:list"))

        assert page.status_code == 200
        assert "106,000 VND/kg" in page.content.decode()
        assert current.number in listed.content.decode()


def test_another_cooperative_does_not_find_the_contract(client, current, other_manager):
    client.force_login(other_manager)

    assert client.get(reverse("contracts:detail", args=[current.pk])).status_code == 404
    assert current.number not in client.get(reverse("contracts:list")).content.decode()


def test_the_seller_records_a_delivery_and_sees_its_price(client, current, manager, member):
    lot = trace.harvest(member, quantity=800)
    client.force_login(manager)

    response = client.post(
        reverse("contracts:deliver", args=[current.pk]),
        {
            "lot": lot.pk,
            "quantity_kg": "800",
            "delivered_on": timezone.localdate().isoformat(),
            "grade": current.grades.get(code="G1").pk,
        },
        follow=True,
    )

    text = response.content.decode()
    assert "Delivery recorded at 108,000 VND/kg." in text
    assert "86,400,000" in text


def test_signing_on_the_page_as_both_parties(client, exporter, coop, buyer, manager):
    contract = make_contract(exporter, coop, signed=False)

    client.force_login(buyer)
    client.post(reverse("contracts:sign", args=[contract.pk]), {"side": "buyer"})
    client.force_login(manager)
    page = client.post(
        reverse("contracts:sign", args=[contract.pk]), {"side": "seller"}, follow=True
    )

    assert "Signed" in page.content.decode()
    contract.refresh_from_db()
    assert contract.status == LinkageContract.Status.SIGNED


def test_the_api_drafts_signs_delivers_and_reports_fulfilment(
    client, exporter, coop, buyer, manager, member
):
    today = timezone.localdate()
    market_price(today, 100000)
    as_buyer, as_seller = bearer(buyer), bearer(manager)
    body = {
        "number": "HĐ-API-1",
        "buyer_id": exporter.pk,
        "seller_id": coop.pk,
        "commodity": COFFEE,
        "starts_on": (today - timedelta(days=10)).isoformat(),
        "ends_on": (today + timedelta(days=10)).isoformat(),
        "quantity_kg": "2000",
        "price_kind": "market",
        "market_province": "66",
        "market_percent": "6",
        "floor_price": 90000,
        "ceiling_price": 105000,
        "windows": [
            {
                "starts_on": (today - timedelta(days=10)).isoformat(),
                "ends_on": (today + timedelta(days=10)).isoformat(),
                "quantity_kg": "2000",
            }
        ],
    }

    created = client.post("/api/v1/contracts", body, content_type="application/json", **as_buyer)
    contract_id = created.json()["id"]
    for side, headers in (("buyer", as_buyer), ("seller", as_seller)):
        client.post(
            f"/api/v1/contracts/{contract_id}/signatures",
            {"side": side},
            content_type="application/json",
            **headers,
        )
    lot = trace.harvest(member, quantity=500)
    delivered = client.post(
        f"/api/v1/contracts/{contract_id}/deliveries",
        {"lot_id": lot.pk, "quantity_kg": "500", "delivered_on": today.isoformat()},
        content_type="application/json",
        **as_seller,
    )
    fulfilment = client.get(f"/api/v1/contracts/{contract_id}/fulfilment", **as_buyer).json()

    assert created.status_code == 201
    assert delivered.status_code == 201, delivered.content
    assert delivered.json()["price_per_kg"] == 105000  # 106,000 capped by the ceiling
    assert fulfilment["total"]["percent"] == 25
    assert fulfilment["windows"][0]["delivered_kg"] == "500.00"


def test_the_api_refuses_a_delivery_on_an_unsigned_contract(
    client, exporter, coop, manager, member
):
    contract = make_contract(exporter, coop, signed=False)
    lot = trace.harvest(member)

    refused = client.post(
        f"/api/v1/contracts/{contract.pk}/deliveries",
        {"lot_id": lot.pk, "quantity_kg": "5", "delivered_on": date(2025, 11, 3).isoformat()},
        content_type="application/json",
        **bearer(manager),
    )

    assert refused.status_code == 409
    assert "both parties have signed" in refused.json()["detail"]
