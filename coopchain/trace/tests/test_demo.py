from datetime import date
from urllib.parse import urlsplit

import pytest

from coopchain.parties.demo import COFFEE, EXPORTER, ORGANIZATION_PLANS
from coopchain.parties.models import Organization
from coopchain.parties.tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    FacilityFactory,
    MemberFactory,
)
from coopchain.trace.demo import load_trace_demo
from coopchain.trace.identifiers import public_uri
from coopchain.trace.mass_balance import organization_findings
from coopchain.trace.models import Lot
from coopchain.trace.selectors import backward_trace


@pytest.fixture
def demo_world(db):
    coop = CooperativeFactory(
        name=ORGANIZATION_PLANS[COFFEE].name, tax_code=ORGANIZATION_PLANS[COFFEE].tax_code
    )
    EnterpriseFactory(
        name=ORGANIZATION_PLANS[EXPORTER].name, tax_code=ORGANIZATION_PLANS[EXPORTER].tax_code
    )
    FacilityFactory(organization=coop, code="ET-TM01", name="Điểm thu mua cà phê Ea Tul")
    FacilityFactory(organization=coop, code="ET-KHO1", name="Kho cà phê nhân Ea Tul")
    for _ in range(8):
        MemberFactory(organization=coop)
    return coop


def test_the_demo_chain_runs_from_eight_harvests_to_a_published_container(demo_world, client):
    loaded = load_trace_demo()

    container = Lot.objects.get(epc=loaded["container"])
    trace = backward_trace(container)
    assert len(trace.harvest_lots) == 8
    assert Lot.objects.filter(published=True).count() == loaded["lots"] == 12
    assert all(public_uri(lot) for lot in trace.lots)
    page = client.get(urlsplit(public_uri(container)).path).content.decode()
    assert demo_world.name in page
    assert "Kho cà phê nhân Ea Tul" in page
    assert date(2025, 11, 10).strftime("%Y") in page


def test_the_demo_chain_has_no_mass_balance_finding(demo_world):
    load_trace_demo()

    exporter = Organization.objects.get(tax_code=ORGANIZATION_PLANS[EXPORTER].tax_code)
    assert organization_findings(demo_world) == []
    assert organization_findings(exporter) == []


def test_loading_the_demo_twice_adds_nothing(demo_world):
    load_trace_demo()
    lots = Lot.objects.count()

    assert load_trace_demo() == {}
    assert Lot.objects.count() == lots
