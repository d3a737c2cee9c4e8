"""Milk bills: the sum of their lines to the dong, deductions taken off, the same bill when
run again, lines read back as the records stood when the bill was made, and a closed period
that nothing changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.dairy import selectors, services
from coopchain.dairy.models import MilkBill
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import Conflict
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    end = timezone.localdate() - timedelta(days=1)
    return end - timedelta(days=9), end


@pytest.fixture
def deliveries(member, centre, chart, period):
    start, _end = period
    return [
        deliver(member, centre, on=start, quantity="20"),  # 20 × 14,250 = 285,000
        deliver(member, centre, on=start, shift="evening", quantity="17.35"),  # 247,237.5 → 247,238
        deliver(member, centre, on=start + timedelta(days=1), antibiotic="positive"),
        deliver(member, centre, on=start - timedelta(days=1), quantity="50"),  # outside
    ]


def test_a_bill_sums_its_lines_to_the_dong_with_deductions(coop, member, deliveries, period):
    start, end = period
    services.add_deduction(
        member=member, on=start, kind="feed", amount=150000, by=SYSTEM, note="Cám hỗn hợp"
    )

    [bill] = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)

    assert bill.gross == 285000 + 247238
    assert bill.deductions == 150000
    assert bill.net == 285000 + 247238 - 150000
    assert bill.quantity_kg == Decimal("37.35")
    assert bill.delivery_count == 2
    lines = selectors.bill_lines([bill])[bill.pk]
    assert [line.amount for line in lines] == [285000, 247238, 0, -150000]
    assert sum(line.amount for line in lines) == bill.net
    assert "17.35 kg × 14,250 VND/kg" in lines[1].description
    assert "rejected (Antibiotic residue test positive), not paid" in lines[2].description
    assert "Feed bought on credit — Cám hỗn hợp" in lines[3].description


def test_running_a_period_again_gives_the_same_bill(coop, deliveries, period):
    start, end = period
    first = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)[0]
    again = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)[0]

    assert (again.gross, again.net, again.delivery_count) == (first.gross, first.net, 2)
    assert len(selectors.bill_lines([again])[again.pk]) == 3
    assert MilkBill.objects.count() == 1


def test_a_bill_keeps_its_lines_until_its_period_is_run_again(
    coop, member, centre, deliveries, period
):
    start, end = period
    [bill] = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
    late = deliver(member, centre, on=start + timedelta(days=3), quantity="10")
    services.correct_delivery(
        original=deliveries[0],
        reading=services.Reading(
            quantity=Decimal("21"), fat=Decimal("3.8"), snf=Decimal("8.6"), antibiotic="negative"
        ),
        reason="Cân sai",
        by=SYSTEM,
    )

    kept = selectors.bill_lines([bill])[bill.pk]
    assert [line.delivery_id for line in kept[:2]] == [deliveries[0].pk, deliveries[1].pk]
    assert sum(line.amount for line in kept) == bill.net == 285000 + 247238

    [rerun] = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
    lines = selectors.bill_lines([rerun])[rerun.pk]
    assert deliveries[0].pk not in [line.delivery_id for line in lines]
    assert late.pk in [line.delivery_id for line in lines]
    assert sum(line.amount for line in lines) == rerun.net == 21 * 14250 + 247238 + 10 * 14250


def test_each_bill_of_a_period_has_only_its_own_members_lines(coop, member, centre, chart, period):
    start, end = period
    neighbour = MemberFactory(organization=coop)
    deliver(member, centre, on=start, quantity="20")
    deliver(neighbour, centre, on=start, quantity="12")
    deliver(neighbour, centre, on=end + timedelta(days=1))  # today: the next period's

    bills = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
    lines = selectors.bill_lines(bills)

    amounts = {bill.member_id: [line.amount for line in lines[bill.pk]] for bill in bills}
    assert amounts == {member.pk: [285000], neighbour.pk: [12 * 14250]}


def test_a_closed_period_cannot_change(coop, member, centre, deliveries, period):
    start, end = period
    services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
    services.close_bills(organization=coop, start=start, end=end, by=SYSTEM)

    with pytest.raises(Conflict):
        services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
    with pytest.raises(Conflict):
        deliver(member, centre, on=start + timedelta(days=2))
    with pytest.raises(Conflict):
        services.add_deduction(member=member, on=start, kind="fee", amount=1000, by=SYSTEM)
