"""Amendments, receipts, price resolution, side-selling and market price files through
/api/v1/."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coopchain.contracts import services
from coopchain.contracts.models import MarketPrice
from coopchain.contracts.tests.factories import COFFEE, make_contract, market_price
from coopchain.contracts.tests.test_pages_and_api import bearer
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.tests import factories as trace


@pytest.fixture
def running(exporter, coop):
    today = timezone.localdate()
    market_price(today - timedelta(days=5), 100_000)
    return make_contract(
        exporter,
        coop,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
        windows=[],
    )


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def test_an_amendment_is_proposed_and_signed_by_both_parties_through_the_api(
    client, running, buyer, manager
):
    today = timezone.localdate().isoformat()
    base = f"/api/v1/contracts/{running.pk}"

    proposed = post(
        client,
        f"{base}/amendments",
        {
            "effective_on": today,
            "reason": "Nâng giá sàn",
            "quantity_kg": "10000",
            "price_kind": "market",
            "market_percent": "6",
            "floor_price": 110000,
        },
        buyer,
    )
    post(client, f"{base}/amendment-signatures", {"version": 2, "side": "buyer"}, buyer)
    signed = post(client, f"{base}/amendment-signatures", {"version": 2, "side": "seller"}, manager)
    versions = client.get(f"{base}/versions", **bearer(manager)).json()
    price = client.get(f"{base}/price", {"on": today}, **bearer(buyer)).json()

    assert proposed.status_code == 201, proposed.content
    assert signed.json()["in_force_on"] == today
    assert [v["version"] for v in versions] == [1, 2]
    assert price["price_per_kg"] == 110_000
    assert price["version"] == 2
    assert price["steps"][-1] == "floor 110,000 VND/kg applies → 110,000 VND/kg"


def test_the_buyer_confirms_a_receipt_through_the_api(client, running, buyer, member):
    delivery = services.record_contract_delivery(
        contract=running,
        lot=trace.harvest(member, quantity=300),
        quantity_kg=Decimal(300),
        delivered_on=timezone.localdate(),
        by=SYSTEM,
    )

    received = post(
        client,
        f"/api/v1/contracts/{running.pk}/receipts",
        {
            "delivery_id": delivery.pk,
            "accepted_kg": "290",
            "rejected_kg": "10",
            "received_on": timezone.localdate().isoformat(),
            "reason": "Ẩm",
        },
        buyer,
    )
    fulfilment = client.get(f"/api/v1/contracts/{running.pk}/fulfilment", **bearer(buyer)).json()

    assert received.status_code == 201, received.content
    assert received.json()["event_id"]
    assert fulfilment["total"]["accepted_kg"] == "290.00"


def test_side_selling_lists_households_to_the_cooperative_and_totals_to_the_buyer(
    client, running, member, manager, buyer
):
    trace.harvest(member, quantity=800, harvested_on=timezone.localdate() - timedelta(days=3))
    services.record_contract_delivery(
        contract=running,
        lot=trace.harvest(member, quantity=200),
        quantity_kg=Decimal(200),
        delivered_on=timezone.localdate(),
        by=SYSTEM,
    )

    own = client.get(f"/api/v1/contracts/{running.pk}/side-selling", **bearer(manager)).json()
    theirs = client.get(f"/api/v1/contracts/{running.pk}/side-selling", **bearer(buyer)).json()

    assert own["members"][0]["gap_kg"] == "800.000"
    assert theirs["members"] == []
    assert theirs["produced_kg"] == "1000.000"


def test_a_market_price_file_is_imported_through_the_api(client, manager):
    text = f"Commodity,Province,Date,Price,Source\n{COFFEE},66,2025-10-06,112500,Sở CT\n"

    checked = client.post(
        "/api/v1/market-prices/import?dry_run=true",
        {"file": SimpleUploadedFile("gia.csv", text.encode(), content_type="text/csv")},
        **bearer(manager),
    )
    imported = client.post(
        "/api/v1/market-prices/import",
        {"file": SimpleUploadedFile("gia.csv", text.encode(), content_type="text/csv")},
        **bearer(manager),
    )
    refused = client.post(
        "/api/v1/market-prices/import",
        {"file": SimpleUploadedFile("gia.csv", b"Commodity,Province\nx,66\n")},
        **bearer(manager),
    )

    assert checked.json()["written"] is False
    assert imported.json()["created"] == 1
    assert MarketPrice.objects.get().price == 112_500
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
