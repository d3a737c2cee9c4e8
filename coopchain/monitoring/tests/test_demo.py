"""The monitoring demo on top of the foundation demo: Điện Biên's cooperatives struggle,
Đắk Lắk's officer sees its targets, and a second load changes nothing."""

import pytest
from django.db import transaction
from django.test import override_settings

from coopchain.monitoring.demo import load_monitoring_demo
from coopchain.monitoring.models import (
    CooperativeReport,
    LinkageModel,
    SupportAllocation,
    SupportProgramme,
)
from coopchain.monitoring.rating import Grade
from coopchain.monitoring.selectors import province_dashboard, standing
from coopchain.parties.admin_units import load_admin_units
from coopchain.parties.demo import ORGANIZATION_PLANS, load_demo
from coopchain.parties.models import AdminUnit, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for the module in a transaction rolled back at its end."""
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


def organization(key):
    return Organization.objects.get(tax_code=ORGANIZATION_PLANS[key].tax_code)


def test_loading_again_adds_nothing():
    reports, models = CooperativeReport.objects.count(), LinkageModel.objects.count()

    created = load_monitoring_demo()

    assert created == {"reports": 0, "linkage models": 0, "support programmes": 0}
    assert (CooperativeReport.objects.count(), LinkageModel.objects.count()) == (reports, models)


def test_the_dak_lak_coffee_cooperative_is_healthy_and_the_dien_bien_ones_are_not():
    coffee = standing(organization("coffee"))
    muong_thanh = standing(organization("dien_bien"))

    assert coffee.rating.grade in (Grade.GOOD, Grade.FAIR)
    assert not coffee.at_risk
    assert muong_thanh.at_risk
    assert {"suspended", "losses", "no_linkage"} <= {a.code for a in muong_thanh.alerts}
    assert standing(organization("muong_luan")).rating.grade == Grade.DISSOLVED


def test_dak_lak_has_its_resolution_targets_and_a_lagging_commune():
    dashboard = province_dashboard("66")

    assert {t.target.code for t in dashboard.targets} >= {
        "output-share-2030",
        "linkages-per-commune-2030",
    }
    assert all(t.value is not None for t in dashboard.targets)
    output = next(t for t in dashboard.targets if t.target.code == "output-share-2030")
    assert not output.met
    assert "Xã Đắk Liêng" in [c.ward.name for c in dashboard.lagging_communes]


def test_each_province_has_a_support_programme_matching_what_its_cooperatives_reported():
    coffee = organization("coffee")
    allocation = SupportAllocation.objects.get(beneficiary=coffee)

    assert SupportProgramme.objects.filter(province_id__in=["66", "11"]).count() == 2
    assert allocation.disbursed == standing(coffee).support_total == 300_000_000
    assert SupportAllocation.objects.get(beneficiary=organization("dien_bien")).disbursed == (
        100_000_000
    )
