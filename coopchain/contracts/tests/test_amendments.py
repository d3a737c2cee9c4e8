"""A signed contract changes only by an amendment both parties sign; versions are kept, and
each delivery is priced by the terms in force on its date."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.contracts import amendments, services, terms
from coopchain.contracts.models import ContractAmendment, LinkageContract
from coopchain.contracts.tests.factories import make_contract, market_price
from coopchain.contracts.tests.test_pages_and_api import bearer
from coopchain.errors import Conflict, InvalidInput, NotFound
from coopchain.parties.tenancy import SYSTEM
from coopchain.trace.tests import factories as trace


@pytest.fixture
def running(exporter, coop):
    """Market +6 % with a 90,000 floor, running from two months ago; the market at 100,000."""
    today = timezone.localdate()
    market_price(today - timedelta(days=20), 100_000)
    return make_contract(
        exporter,
        coop,
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=120),
        windows=[],
    )


def propose(contract, by=SYSTEM, **changes):
    values = {
        "effective_on": timezone.localdate(),
        "reason": "Giá thị trường giảm: nâng giá sàn",
        "quantity_kg": Decimal(12_000),
        "price_kind": LinkageContract.PriceKind.MARKET,
        "market_percent": Decimal(8),
        "floor_price": 95_000,
    }
    values.update(changes)
    return amendments.propose_amendment(
        contract=contract, data=amendments.AmendmentData(**values), by=by
    )


def sign_both(amendment, buyer=SYSTEM, seller=SYSTEM):
    amendments.sign_amendment(amendment=amendment, side="buyer", by=buyer)
    return amendments.sign_amendment(amendment=amendment, side="seller", by=seller)


def deliver(contract, member, on):
    return services.record_contract_delivery(
        contract=contract,
        lot=trace.harvest(member, quantity=100),
        quantity_kg=Decimal(100),
        delivered_on=on,
        by=SYSTEM,
    )


def test_an_amendment_changes_nothing_until_both_parties_sign(running, buyer):
    amendment = propose(running)
    amendments.sign_amendment(amendment=amendment, side="buyer", by=buyer)

    today = timezone.localdate()
    assert terms.in_force(running, today).number == 1
    assert services.price_on(running, today).per_kg == 106_000


def test_a_signed_amendment_prices_deliveries_from_its_day_and_not_before(
    running, member, buyer, manager
):
    today = timezone.localdate()
    earlier = deliver(running, member, today - timedelta(days=1))
    amendment = sign_both(propose(running), buyer=buyer, seller=manager)

    later = deliver(running, member, today)

    assert amendment.in_force_on == today
    assert (amendment.buyer_signed_by, amendment.seller_signed_by) == (buyer, manager)
    assert (earlier.terms_version, earlier.price_per_kg) == (1, 106_000)
    assert (later.terms_version, later.price_per_kg) == (2, 108_000)  # 100,000 × 1.08
    earlier.refresh_from_db()
    assert earlier.price_per_kg == 106_000


def test_the_terms_on_a_date_come_from_the_latest_amendment_signed_before_it(running):
    today = timezone.localdate()
    second = sign_both(propose(running, market_percent=Decimal(7)))
    third = sign_both(propose(running, price_kind="fixed", fixed_price=99_000, floor_price=None))
    ContractAmendment.objects.filter(pk=second.pk).update(in_force_on=today - timedelta(days=30))
    ContractAmendment.objects.filter(pk=third.pk).update(in_force_on=today - timedelta(days=10))

    assert terms.in_force(running, today - timedelta(days=31)).number == 1
    assert services.price_on(running, today - timedelta(days=20)).per_kg == 107_000
    assert services.price_on(running, today - timedelta(days=10)).per_kg == 99_000
    assert [v.number for v in terms.versions(running)] == [1, 2, 3]


def test_an_amended_quantity_is_the_promise_fulfilment_counts_against(running):
    sign_both(propose(running, quantity_kg=Decimal(20_000)))

    assert services.fulfilment(running).total.promised_kg == Decimal(20_000)


def test_a_draft_is_not_amended(exporter, coop):
    draft = make_contract(exporter, coop, signed=False)

    with pytest.raises(Conflict, match="Only a signed or active contract is amended"):
        propose(draft, effective_on=draft.starts_on)


def test_one_amendment_at_a_time_awaits_signatures(running):
    propose(running)

    with pytest.raises(Conflict, match="Amendment 2 still awaits signatures"):
        propose(running)


def test_an_amendment_with_a_ceiling_below_its_floor_is_refused(running):
    with pytest.raises(InvalidInput) as refused:
        propose(running, ceiling_price=80_000)

    assert refused.value.errors[0].field == "ceiling_price"


def test_another_cooperative_cannot_sign_for_the_seller(running, other_manager):
    amendment = propose(running)

    with pytest.raises(NotFound):
        amendments.sign_amendment(amendment=amendment, side="seller", by=other_manager)


def test_both_parties_amend_on_the_contract_page_and_see_the_versions(
    client, running, buyer, manager
):
    client.force_login(buyer)
    client.post(
        reverse("contracts:amend", args=[running.pk]),
        {
            "effective_on": timezone.localdate().isoformat(),
            "reason": "Nâng giá sàn",
            "quantity_kg": "10000",
            "price_kind": "market",
            "market_percent": "6",
            "floor_price": "120000",
        },
    )
    client.post(
        reverse("contracts:sign_amendment", args=[running.pk]), {"side": "buyer", "version": 2}
    )
    client.force_login(manager)
    page = client.post(
        reverse("contracts:sign_amendment", args=[running.pk]),
        {"side": "seller", "version": 2},
        follow=True,
    ).content.decode()

    assert "Version 2" in page
    assert "Nâng giá sàn" in page
    assert "120,000 VND/kg" in page  # the floor now lifts today's price


def test_the_api_body_shows_the_terms_in_force_today_and_names_their_version(
    client, running, buyer, manager
):
    sign_both(propose(running, floor_price=95_000), buyer=buyer, seller=manager)

    body = client.get(f"/api/v1/contracts/{running.pk}", **bearer(buyer)).json()
    listed = client.get("/api/v1/contracts", **bearer(manager)).json()["items"]
    versions = client.get(body["versions_url"], **bearer(buyer)).json()

    assert body["terms_version"] == 2
    assert body["terms_since"] == timezone.localdate().isoformat()
    assert body["quantity_kg"] == "12000.00"
    assert (body["market_percent"], body["floor_price"]) == ("8.00", 95_000)
    assert [(c["terms_version"], c["floor_price"]) for c in listed] == [(2, 95_000)]
    assert [(v["version"], v["floor_price"]) for v in versions] == [(1, 90_000), (2, 95_000)]


def test_an_amendment_signed_for_a_later_day_leaves_todays_body_on_the_earlier_terms(
    client, running, buyer
):
    sign_both(propose(running, effective_on=timezone.localdate() + timedelta(days=10)))

    body = client.get(f"/api/v1/contracts/{running.pk}", **bearer(buyer)).json()

    assert (body["terms_version"], body["floor_price"]) == (1, 90_000)


def test_the_contracts_list_and_page_show_the_amended_quantity(client, running, manager):
    sign_both(propose(running, quantity_kg=Decimal(12_500)))
    client.force_login(manager)

    listing = client.get(reverse("contracts:list")).content.decode()
    page = client.get(reverse("contracts:detail", args=[running.pk])).content.decode()

    assert "12,500" in listing
    assert "version 2" in listing
    assert "10,000" not in listing
    assert "Version 2 in force since" in page
    assert "12,500 kg" in page


def test_the_contract_page_says_what_an_amendment_can_change(client, running, manager):
    client.force_login(manager)

    page = client.get(reverse("contracts:detail", args=[running.pk])).content.decode()

    assert "An amendment changes the contracted quantity and the price terms" in page
    assert "The delivery windows and the quality grades stay as signed" in page


def test_an_amendment_leaves_the_delivery_windows_and_grades_as_signed(
    client, contract, buyer, manager
):
    sign_both(propose(contract, effective_on=contract.starts_on), buyer=buyer, seller=manager)

    body = client.get(f"/api/v1/contracts/{contract.pk}", **bearer(buyer)).json()

    assert [w["quantity_kg"] for w in body["windows"]] == ["6000.00", "4000.00"]
    assert [g["code"] for g in body["grades"]] == ["G1", "G2", "G3"]
