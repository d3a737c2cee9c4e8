"""Milk bills: the sum of their lines to the dong, deductions taken off, the same bill when
run again, and a closed period that nothing changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.models import MilkBill
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import Conflict
from coopchain.parties.tenancy import SYSTEM

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
    lines = list(bill.lines.all())
    assert sum(line.amount for line in lines) == bill.net
    assert any("rejected" in line.description for line in lines)
    assert any("Cám hỗn hợp" in line.description for line in lines)


def test_running_a_period_again_gives_the_same_bill(coop, deliveries, period):
    start, end = period
    first = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)[0]
    again = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)[0]

    assert (again.gross, again.net, again.lines.count()) == (first.gross, first.net, 3)
    assert MilkBill.objects.count() == 1


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
