"""A cooperative reads its province's public aggregates — targets and counts — and nothing of any
other cooperative: no name, no figure."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from coopchain.monitoring import services
from coopchain.monitoring.models import ProvinceTarget
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.models import AdminUnit
from coopchain.parties.tests.factories import CooperativeFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

# Figures only the neighbour reported, so any of them on the page would be a leak.
NEIGHBOUR_OUTPUT = 7_654_321_000
NEIGHBOUR_SUPPORT = 123_456_789


@pytest.fixture
def province(coop):
    """Đắk Lắk with the manager's cooperative, a struggling neighbour, a target and a model."""
    dak_lak = AdminUnit.objects.get(code="66")
    neighbour = CooperativeFactory(name="HTX Láng Giềng Krông Pắc", province_code="66")
    report(coop, 2025, **strong(output_value=6_000_000_000))
    report(neighbour, 2025, 1, revenue=100, cost=300, output_value=NEIGHBOUR_OUTPUT)
    report(neighbour, 2025, 2, revenue=100, cost=300, support_received=NEIGHBOUR_SUPPORT)
    services.set_province_output(province=dak_lak, year=2025, value=40_000_000_000)
    services.set_province_target(
        province=dak_lak, code="output-share", title="Output through cooperatives",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.OUTPUT_SHARE,
        target_percent=Decimal(35), due_year=2030,
    )  # fmt: skip
    services.register_linkage_model(
        ward=neighbour.ward, name="Liên kết của Láng Giềng", commodity="coffee",
        cooperative=neighbour, enterprise=EnterpriseFactory(name="Công ty Thu Mua Bí Mật"),
        started_on=date(2024, 1, 1),
    )  # fmt: skip
    return {"coop": coop, "neighbour": neighbour}


def test_a_cooperative_reads_its_provinces_targets_and_counts(client, province, manager):
    client.force_login(manager)

    own = client.get(reverse("monitoring:cooperative", args=[province["coop"].pk]))
    page = client.get(reverse("monitoring:cooperative_province", args=[province["coop"].pk]))

    html = page.content.decode()
    assert reverse("monitoring:cooperative_province", args=[province["coop"].pk]) in (
        own.content.decode()
    )
    assert page.status_code == 200
    assert "Output through cooperatives" in html
    assert "Resolution 20/2025/NQ-HĐND" in html
    # Both cooperatives' output, 13,654,321,000 of 40,000,000,000: 34.1 %.
    assert "34.1 %" in html
    assert '<span class="figure">2</span>active' in html
    assert '<span class="figure">1</span>at risk' in html


def test_the_aggregates_name_no_other_cooperative_and_show_none_of_its_figures(
    client, province, manager
):
    client.force_login(manager)

    html = client.get(
        reverse("monitoring:cooperative_province", args=[province["coop"].pk])
    ).content.decode()

    neighbour = province["neighbour"]
    assert escape(neighbour.name) not in html
    assert reverse("monitoring:cooperative", args=[neighbour.pk]) not in html
    assert "Láng Giềng" not in html
    assert "Bí Mật" not in html
    for figure in (NEIGHBOUR_OUTPUT, NEIGHBOUR_SUPPORT):
        assert f"{figure:,}" not in html
        assert str(figure) not in html
    assert "Losses two periods running" not in html


def test_a_cooperative_cannot_read_another_cooperatives_province_page(
    client, province, manager, other_coop
):
    client.force_login(manager)

    neighbour = client.get(
        reverse("monitoring:cooperative_province", args=[province["neighbour"].pk])
    )
    elsewhere = client.get(reverse("monitoring:cooperative_province", args=[other_coop.pk]))

    assert neighbour.status_code == 404
    assert elsewhere.status_code == 404
