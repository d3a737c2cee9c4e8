"""The demo diaries: a season on the demo plots, with the problems a cooperative must catch."""

import pytest
from django.db import transaction
from django.test import override_settings

from coopchain.diary import rules
from coopchain.diary.demo import load_diary_demo
from coopchain.diary.facts import to_facts, with_facts
from coopchain.diary.models import Activity, LotEligibility
from coopchain.parties.admin_units import load_admin_units
from coopchain.parties.demo import load_demo
from coopchain.parties.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo world loaded once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        if not AdminUnit.objects.filter(level=AdminUnit.Level.WARD).exists():
            load_admin_units(AdminUnit)
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            load_demo()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def findings_in(province_code: str) -> set[str]:
    entries = Activity.objects.current().filter(organization__province_id=province_code)
    return {f.code for f in rules.diary_findings(to_facts(with_facts(entries)))}


def test_each_demo_cooperative_has_a_season_of_entries_and_harvest_lots():
    for province in ("66", "15", "25"):
        entries = Activity.objects.filter(organization__province_id=province)
        assert entries.count() >= 30, province
        assert entries.filter(kind="harvest", lot__isnull=False).count() >= 7, province
        assert entries.filter(kind="spraying").exists()


def test_the_demo_has_phi_violations_a_banned_product_an_overdose_and_a_missing_product():
    coffee = findings_in("66")

    assert {rules.PHI, rules.BANNED, rules.OVER_DOSE, rules.NO_PRODUCT} <= coffee
    assert rules.PHI in findings_in("25")
    assert rules.BANNED in findings_in("25")


def test_some_demo_lots_are_not_eligible_and_most_are():
    eligibility = LotEligibility.objects.all()

    not_eligible = eligibility.filter(eligible=False).count()
    assert 4 <= not_eligible < eligibility.count() / 2


def test_the_demo_farmer_sees_a_running_interval_and_no_harvest_yet():
    mine = Activity.objects.filter(household__code="ET-0001", organization__province_id="66")

    assert mine.filter(kind="spraying", lines__product__name="Abamectin 1.8 EC").exists()
    assert not mine.filter(kind="harvest").exists()


def test_loading_the_diary_demo_again_adds_nothing():
    before = Activity.objects.count()

    assert load_diary_demo() == {}
    assert Activity.objects.count() == before
