"""Drafting, signing and ending a contract, and who sees it."""

from datetime import date
from decimal import Decimal

import pytest

from coopchain.contracts import services
from coopchain.contracts.models import LinkageContract
from coopchain.contracts.tests.factories import make_contract
from coopchain.errors import Conflict, Forbidden, InvalidInput, NotFound
from coopchain.parties.models import AdminUnit
from coopchain.parties.tenancy import SYSTEM, scope


def test_a_contract_is_signed_once_both_parties_have_signed(exporter, coop, buyer, manager):
    contract = make_contract(exporter, coop, signed=False)

    services.sign_contract(contract=contract, side="buyer", by=buyer)
    half = LinkageContract.objects.get(pk=contract.pk)
    services.sign_contract(contract=contract, side="seller", by=manager)
    signed = LinkageContract.objects.get(pk=contract.pk)

    assert half.status == LinkageContract.Status.DRAFT
    assert half.buyer_signed_by == buyer
    assert signed.status == LinkageContract.Status.SIGNED
    assert signed.seller_signed_by == manager
    assert signed.seller_signed_at is not None


def test_one_party_cannot_sign_for_the_other(exporter, coop, buyer, farmer):
    contract = make_contract(exporter, coop, signed=False)

    with pytest.raises(NotFound):
        services.sign_contract(contract=contract, side="seller", by=buyer)
    with pytest.raises(Forbidden):
        services.sign_contract(contract=contract, side="seller", by=farmer)


def test_a_signed_contract_is_not_signed_again(contract, manager):
    with pytest.raises(Conflict, match="Only a draft"):
        services.sign_contract(contract=contract, side="seller", by=manager)


def test_a_contract_with_a_floor_above_its_ceiling_is_refused(exporter, coop):
    with pytest.raises(InvalidInput) as refused:
        make_contract(exporter, coop, floor_price=100000, ceiling_price=90000)

    assert [e.field for e in refused.value.errors] == ["ceiling_price"]


def test_windows_adding_up_to_more_than_the_contract_are_refused(exporter, coop):
    too_much = [services.Window(date(2025, 10, 1), date(2025, 12, 31), Decimal(20000))]

    with pytest.raises(InvalidInput, match="more than the contracted quantity"):
        make_contract(exporter, coop, windows=too_much)


def test_a_market_linked_contract_needs_its_market(exporter, coop):
    with pytest.raises(InvalidInput) as refused:
        make_contract(exporter, coop, market_province=None)

    assert refused.value.errors[0].field == "market_province"


def test_a_termination_needs_a_reason(contract, manager):
    with pytest.raises(InvalidInput):
        services.end_contract(contract=contract, completed=False, by=manager)

    ended = services.end_contract(
        contract=contract, completed=False, reason="Người mua chậm thanh toán", by=manager
    )

    assert ended.status == LinkageContract.Status.TERMINATED
    assert ended.termination_reason == "Người mua chậm thanh toán"


def test_both_parties_see_the_contract_and_no_one_else(
    contract, buyer, manager, other_manager, officer
):
    def seen_by(user):
        return list(scope(LinkageContract.objects.all(), user))

    assert seen_by(buyer) == [contract]
    assert seen_by(manager) == [contract]
    assert seen_by(other_manager) == []
    assert seen_by(officer) == []


def test_a_fixed_price_contract_between_two_cooperatives(coop, other_coop):
    contract = make_contract(
        other_coop,
        coop,
        price_kind=LinkageContract.PriceKind.FIXED,
        fixed_price=95000,
        market_province=AdminUnit.objects.get(code="66"),
        floor_price=None,
    )

    assert services.price_on(contract, date(2025, 11, 1)).per_kg == 95000
    assert contract.status == LinkageContract.Status.SIGNED
    assert SYSTEM
