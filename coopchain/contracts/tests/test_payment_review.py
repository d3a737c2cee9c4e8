"""The manager reviews a payment run line by line, each deduction in its order within the limit,
and approves it under the cooperative's rules; every refusal says why."""

from datetime import date

import pytest
from django.urls import reverse

from coopchain.contracts import payments, services
from coopchain.contracts.models import LedgerEntry, PaymentRun
from coopchain.errors import Conflict, Forbidden
from coopchain.parties.models import Role
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import UserFactory, grant

NOV_1, NOV_10, NOV_15, NOV_16, NOV_30 = (date(2025, 11, d) for d in (1, 10, 15, 16, 30))


def entry(member, kind, amount, description="", on=NOV_10):
    return services.add_ledger_entry(
        organization=member.organization,
        member=member,
        on=on,
        kind=kind,
        amount=amount,
        description=description or kind,
        by=SYSTEM,
    )


def prepare(coop, by, start=NOV_1, end=NOV_30, limit=50):
    return services.prepare_payment_run(
        organization=coop,
        period_start=start,
        period_end=end,
        recovery_limit_percent=limit,
        by=by,
    )


@pytest.fixture
def indebted(member):
    """Owed 10,000,000 for coffee; owes a 500,000 fee, a 2,000,000 advance and 6,000,000 of
    fertiliser on credit."""
    entry(member, "produce", 10_000_000, "Cà phê tươi 1.000 kg")
    entry(member, "inputs", 6_000_000, "Phân bón NPK trả chậm")
    entry(member, "advance", 2_000_000, "Tạm ứng đầu vụ")
    entry(member, "fee", 500_000, "Phí dịch vụ")
    return member


@pytest.fixture
def second_manager(coop):
    return grant(UserFactory(username="second_manager"), coop, Role.Name.MANAGER)


def test_deductions_are_taken_fees_first_then_advances_then_inputs_up_to_the_limit(
    indebted, coop, manager
):
    run = prepare(coop, manager)

    line = payments.review(run).lines[0]
    assert [label for _kind, label in payments.review(run).kinds] == [
        "Fee",
        "Advance",
        "Inputs on credit",
    ]
    assert (line.line.due, line.limit, line.taken, line.line.pay, line.still_owed) == (
        10_000_000,
        5_000_000,
        [500_000, 2_000_000, 2_500_000],
        5_000_000,
        3_500_000,
    )


def test_the_next_run_recovers_what_the_last_left_in_the_same_order(indebted, coop, manager):
    first = prepare(coop, manager, end=NOV_15)
    services.approve_payment_run(run=first, by=manager)
    entry(indebted, "produce", 4_000_000, "Cà phê tươi 400 kg", on=NOV_16)

    second = prepare(coop, manager, start=NOV_16)

    line = payments.review(second).lines[0]
    assert [kind for kind, _label in payments.review(second).kinds] == ["inputs"]
    assert (line.line.due, line.taken, line.line.pay) == (4_000_000, [2_000_000], 2_000_000)


def test_the_review_page_shows_each_line_with_its_deductions_and_the_entries_behind_them(
    client, indebted, coop, manager
):
    run = prepare(coop, manager)
    client.force_login(manager)

    page = client.get(reverse("contracts:payment_run", args=[run.pk])).content.decode()

    row = page.split(f'id="line-{indebted.code}"')[1].split("</tr>")[0]
    for figure in ("10,000,000", "5,000,000", "500,000", "2,000,000", "2,500,000"):
        assert figure in row
    assert "Phân bón NPK trả chậm" in page
    assert "Still owed by the member after this run: 3,500,000 VND" in page
    assert 'value="approve"' in page


def test_with_a_second_person_required_the_preparer_cannot_approve_and_is_told_why(
    client, indebted, coop, manager, second_manager
):
    payments.set_second_person_rule(organization=coop, required=True, by=manager)
    run = prepare(coop, manager)
    client.force_login(manager)

    page = client.get(reverse("contracts:payment_run", args=[run.pk])).content.decode()
    with pytest.raises(Forbidden) as refused:
        services.approve_payment_run(run=run, by=manager)
    services.approve_payment_run(run=run, by=second_manager)

    assert "you prepared this one, so another manager must approve it" in str(refused.value)
    assert 'value="approve"' not in page
    assert "another manager must approve it" in page
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (PaymentRun.Status.APPROVED, second_manager)


def test_without_the_rule_the_preparer_approves_their_own_run(indebted, coop, manager):
    run = prepare(coop, manager)

    assert services.approve_payment_run(run=run, by=manager).status == PaymentRun.Status.APPROVED


def test_staff_cannot_lift_the_second_person_rule(client, coop, manager, staff):
    payments.set_second_person_rule(organization=coop, required=True, by=manager)
    client.force_login(staff)

    answer = client.post(reverse("contracts:payment_approval_rule"), {}, follow=True)

    assert "Only the cooperative&#x27;s managers decide who approves payment runs." in (
        answer.content.decode()
    )
    coop.refresh_from_db()
    assert coop.payment_runs_need_second_person is True


def test_a_manager_turns_the_rule_on_from_the_payment_runs_page(client, coop, manager):
    client.force_login(manager)

    answer = client.post(
        reverse("contracts:payment_approval_rule"), {"second_person": "on"}, follow=True
    )

    assert "A second person now approves each payment run." in answer.content.decode()
    coop.refresh_from_db()
    assert coop.payment_runs_need_second_person is True


def test_two_runs_for_the_same_period_cannot_both_be_approved(client, indebted, coop, manager):
    first, second = prepare(coop, manager), prepare(coop, manager)
    services.approve_payment_run(run=first, by=manager)
    client.force_login(manager)

    answer = client.post(
        reverse("contracts:payment_run_action", args=[second.pk]),
        {"action": "approve"},
        follow=True,
    )

    assert "The run for 01/11/2025–30/11/2025 is already approved for this period." in (
        answer.content.decode()
    )
    second.refresh_from_db()
    assert second.status == PaymentRun.Status.DRAFT


def test_a_run_that_would_pay_more_than_is_owed_is_refused(indebted, coop, manager):
    # Prepared side by side, both runs pay the coffee of 10 November: the second, for a later
    # period, counts it as owed from before. Once the first is approved, it is not owed any more.
    first = prepare(coop, manager, end=NOV_15)
    later = prepare(coop, manager, start=NOV_16)
    services.approve_payment_run(run=first, by=manager)

    with pytest.raises(Conflict) as refused:
        services.approve_payment_run(run=later, by=manager)

    assert f"This run would pay {indebted.code} 5,000,000 VND, more than the 0 VND owed" in str(
        refused.value
    )


def test_an_approved_run_cannot_change_and_a_correction_is_a_new_entry(indebted, coop, manager):
    run = prepare(coop, manager)
    services.approve_payment_run(run=run, by=manager)
    services.mark_payment_run_paid(run=run, paid_on=NOV_30, by=manager)

    with pytest.raises(Conflict) as again:
        services.approve_payment_run(run=run, by=manager)
    with pytest.raises(Conflict) as paid_again:
        services.mark_payment_run_paid(run=run, paid_on=NOV_30, by=manager)
    entry(indebted, "correction", 200_000, "Cân thiếu 20 kg ngày 10/11", on=NOV_30)

    assert str(again.value) == "An approved payment run cannot change."
    assert str(paid_again.value) == "Only an approved payment run is paid."
    run.refresh_from_db()
    assert run.lines.get().pay == 5_000_000
    assert LedgerEntry.objects.filter(member=indebted, kind="payment").count() == 1
    assert services.position(indebted, until=NOV_30).due == 200_000
