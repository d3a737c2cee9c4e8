"""The payment demo: Ea Tul's households with bank accounts (a few paid in cash), the harvest
run approved by a second person and paid, and the spring run awaiting the manager's review."""

import pytest

from coopchain.contracts import bank_export, payments
from coopchain.contracts.models import LedgerEntry, PaymentRun
from coopchain.contracts.payments_demo import HARVEST, SPRING, load_payments_demo
from coopchain.parties.demo import COFFEE, load_demo
from coopchain.parties.models import Member, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    from coopchain.contracts.demo import _organization
    from coopchain.parties.admin_units import load_admin_units
    from coopchain.parties.models import AdminUnit

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        load_demo()
        coop = _organization(COFFEE)
        again = load_payments_demo(coop)
    yield {"coop": coop, "again": again}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_most_households_bank_and_a_few_take_cash(demo):
    members = Member.objects.filter(organization=demo["coop"])
    banked = members.exclude(bank_account="")

    assert banked.count() >= members.count() * 3 // 4
    assert banked.count() < members.count()
    assert all(m.bank is not None for m in banked)


def test_the_harvest_run_was_approved_by_a_second_person_and_paid(demo):
    run = PaymentRun.objects.get(organization=demo["coop"], period_start=HARVEST[0])

    assert run.status == PaymentRun.Status.PAID
    assert demo["coop"].payment_runs_need_second_person
    assert run.created_by.username == "coffee_staff"
    assert run.approved_by.username == "coffee_manager"
    split = bank_export.bank_file(run)
    assert split.transfers
    assert split.cash
    paid = LedgerEntry.objects.filter(payment_line__run=run).count()
    assert paid == run.lines.filter(pay__gt=0).count()


def test_the_spring_run_awaits_the_managers_review_with_deductions_in_order(demo):
    run = PaymentRun.objects.get(organization=demo["coop"], period_start=SPRING[0])
    manager = Role.objects.get(user__username="coffee_manager").user
    staff = Role.objects.get(user__username="coffee_staff").user

    review = payments.review(run)
    assert run.status == PaymentRun.Status.DRAFT
    assert [kind for kind, _label in review.kinds][:2] == ["fee", "advance"]
    assert review.pay == review.due - review.deduction > 0
    assert payments.may_approve(run, manager) == (True, "")
    assert payments.may_approve(run, staff)[0] is False


def test_the_demo_farmer_was_paid_in_the_harvest_run(demo):
    member = Role.objects.get(user__username="coffee_farmer").member

    paid = payments.member_payments(member)

    assert [p.run.period_start for p in paid] == [HARVEST[0]]
    assert paid[0].line.pay > 0


def test_loading_again_changes_nothing(demo):
    assert demo["again"] == {}
