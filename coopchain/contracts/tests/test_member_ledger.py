"""The member ledger: balances are the sum of entries; payment runs pay what is due, keep back
at most their share for what the member owes, explain each line and never change once
approved."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopchain.contracts import selectors, services
from coopchain.contracts.models import LedgerEntry, PaymentRun
from coopchain.contracts.tests.factories import market_price
from coopchain.errors import Conflict, InvalidInput
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import CooperativeFactory, MemberFactory
from coopchain.trace.tests import factories as trace

NOV_1, NOV_15, NOV_30 = date(2025, 11, 1), date(2025, 11, 15), date(2025, 11, 30)


def entry(member, kind, amount, on=NOV_15, description="Mục"):
    return services.add_ledger_entry(
        organization=member.organization,
        member=member,
        on=on,
        kind=kind,
        amount=amount,
        description=description,
        by=SYSTEM,
    )


def run_for(member, limit=50, start=NOV_1, end=NOV_30):
    return services.prepare_payment_run(
        organization=member.organization,
        period_start=start,
        period_end=end,
        members=[member],
        recovery_limit_percent=limit,
        by=SYSTEM,
    )


KINDS = st.sampled_from(["produce", "milk", "inputs", "advance", "fee", "correction"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(entries=st.lists(st.tuples(KINDS, st.integers(1, 10**9), st.booleans()), max_size=12))
def test_a_balance_is_always_the_sum_of_the_entries(db, entries):
    # A cooperative per example: examples share one database transaction.
    member = MemberFactory(organization=CooperativeFactory())
    expected = 0
    for kind, amount, negative in entries:
        signed = -amount if kind == "correction" and negative else amount
        entry(member, kind, signed)
        expected += -signed if kind in ("inputs", "advance", "fee") else signed
    if expected > 0:
        run = run_for(member)
        services.approve_payment_run(run=run, by=SYSTEM)
        services.mark_payment_run_paid(run=run, paid_on=NOV_30, by=SYSTEM)
        expected -= sum(line.pay for line in run.lines.all())

    assert selectors.balance(member) == expected
    assert selectors.balance(member) == sum(
        LedgerEntry.objects.filter(member=member).values_list("amount", flat=True)
    )


def test_what_a_member_owes_is_recovered_at_most_up_to_the_limit(member):
    entry(member, "produce", 10_000_000)
    entry(member, "inputs", 8_000_000, description="Phân bón NPK trả chậm")

    run = run_for(member, limit=50)
    [line] = run.lines.all()

    assert (line.due, line.deduction, line.pay) == (10_000_000, 5_000_000, 5_000_000)


def test_the_lines_of_a_run_add_up_to_what_is_paid(member):
    entry(member, "produce", 7_000_000, on=date(2025, 10, 20))
    entry(member, "produce", 3_500_000, description="Cà phê tươi đợt 2")
    entry(member, "milk", 1_250_000, description="Phiếu sữa")
    entry(member, "advance", 2_000_000, description="Tạm ứng")

    [line] = run_for(member).lines.all()

    assert sum(item["amount"] for item in line.explanation) == line.pay == 9_750_000
    assert [item["code"] for item in line.explanation] == [
        "earlier",
        "produce",
        "milk",
        "recovered",
    ]


def test_after_paying_the_member_owes_only_what_was_not_recovered(member):
    entry(member, "produce", 10_000_000)
    entry(member, "inputs", 8_000_000)
    run = run_for(member)
    services.approve_payment_run(run=run, by=SYSTEM)
    services.mark_payment_run_paid(run=run, paid_on=NOV_30, by=SYSTEM)

    assert selectors.balance(member) == -3_000_000
    entry(member, "produce", 10_000_000, on=date(2025, 12, 10))
    [line] = run_for(member, start=date(2025, 12, 1), end=date(2025, 12, 31)).lines.all()
    assert (line.due, line.deduction, line.pay) == (10_000_000, 3_000_000, 7_000_000)


def test_an_approved_run_cannot_change(member):
    entry(member, "produce", 1_000_000)
    run = services.approve_payment_run(run=run_for(member), by=SYSTEM)

    with pytest.raises(Conflict, match="cannot change"):
        services.approve_payment_run(run=run, by=SYSTEM)
    assert run.status == PaymentRun.Status.APPROVED


def test_two_runs_for_the_same_period_cannot_both_be_approved(member):
    entry(member, "produce", 1_000_000)
    first, second = run_for(member), run_for(member)
    services.approve_payment_run(run=first, by=SYSTEM)

    with pytest.raises(Conflict, match="already approved for this period"):
        services.approve_payment_run(run=second, by=SYSTEM)


def test_a_run_that_would_pay_more_than_is_owed_is_refused(member):
    entry(member, "produce", 1_000_000)
    november = run_for(member)
    december = run_for(member, start=date(2025, 12, 1), end=date(2025, 12, 31))
    services.approve_payment_run(run=december, by=SYSTEM)  # pays November's produce too

    with pytest.raises(Conflict, match="more than the 0 VND owed"):
        services.approve_payment_run(run=november, by=SYSTEM)


def test_a_payment_cannot_be_entered_by_hand(member):
    with pytest.raises(InvalidInput):
        entry(member, "payment", 1_000)


def test_a_members_contract_delivery_is_produce_the_cooperative_bought(contract, member):
    market_price(date(2025, 11, 10), 100000)
    services.record_contract_delivery(
        contract=contract,
        lot=trace.harvest(member),
        quantity_kg=Decimal(250),
        delivered_on=date(2025, 11, 12),
        by=SYSTEM,
    )

    [bought] = LedgerEntry.objects.filter(member=member)
    assert bought.kind == "produce"
    assert bought.amount == 26_500_000
    assert "250" in bought.description


def test_closed_milk_bills_are_posted_once_at_their_net(coop, member):
    from coopchain.dairy import services as dairy
    from coopchain.dairy.tests.factories import deliver, make_centre, make_chart

    make_chart(coop)
    centre = make_centre(coop)
    deliver(member, centre, on=date(2025, 11, 3), quantity="20")
    dairy.add_deduction(
        member=member, on=date(2025, 11, 4), kind="feed", amount=50_000, note="Cám", by=SYSTEM
    )
    [bill] = dairy.generate_bills(organization=coop, start=NOV_1, end=NOV_15, by=SYSTEM)
    dairy.close_bills(organization=coop, start=NOV_1, end=NOV_15, by=SYSTEM)

    posted = services.post_milk_bills(organization=coop, start=NOV_1, end=NOV_30, by=SYSTEM)
    again = services.post_milk_bills(organization=coop, start=NOV_1, end=NOV_30, by=SYSTEM)

    bill.refresh_from_db()
    assert (posted, again) == (1, 0)
    assert selectors.balance(member) == bill.net == bill.gross - 50_000


def _queries_to_prepare_a_run_for(count):
    coop = CooperativeFactory()
    members = MemberFactory.create_batch(count, organization=coop)
    for member in members:
        entry(member, "produce", 4_000_000, on=date(2025, 10, 20))
        entry(member, "produce", 6_000_000)
        entry(member, "inputs", 1_500_000)
        entry(member, "fee", 200_000)
    services.approve_payment_run(
        run=run_for(members[0], start=date(2025, 10, 1), end=date(2025, 10, 31)), by=SYSTEM
    )
    with CaptureQueriesContext(connection) as queries:
        run = services.prepare_payment_run(
            organization=coop, period_start=NOV_1, period_end=NOV_30, by=SYSTEM
        )
    assert run.lines.count() == count
    return len(queries)


def test_preparing_a_run_takes_as_many_queries_for_fifty_members_as_for_five(db):
    assert _queries_to_prepare_a_run_for(50) == _queries_to_prepare_a_run_for(5)


def test_every_line_of_a_run_for_many_members_keeps_the_deduction_order_and_limit(db):
    coop = CooperativeFactory()
    members = MemberFactory.create_batch(3, organization=coop)
    for member, owed in zip(members, (0, 1_000_000, 9_000_000), strict=True):
        entry(member, "produce", 4_000_000)
        if owed:
            entry(member, "inputs", owed, description="Phân bón")
            entry(member, "fee", 300_000, description="Phí dịch vụ")

    run = services.prepare_payment_run(
        organization=coop, period_start=NOV_1, period_end=NOV_30, by=SYSTEM
    )
    lines = {line.member: line for line in run.lines.all()}
    recovered = [item for item in lines[members[2]].explanation if item["code"] == "recovered"]

    assert [(lines[m].deduction, lines[m].pay) for m in members] == [
        (0, 4_000_000),
        (1_300_000, 2_700_000),
        (2_000_000, 2_000_000),
    ]
    assert [(p["kind"], p["taken"]) for p in recovered[0]["parts"]] == [
        ("fee", 300_000),
        ("inputs", 1_700_000),
    ]
    assert [e["text"] for e in recovered[0]["entries"]] == ["Phân bón", "Phí dịch vụ"]
