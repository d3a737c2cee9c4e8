"""Drill-down from the province to a commune and a cooperative: each page's figures, each for
the officers of its province only, and the dashboard's trend columns and grid of communes."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from coopchain.contracts.tests.factories import make_contract
from coopchain.monitoring import services
from coopchain.monitoring.charts import trend_chart
from coopchain.monitoring.drilldown import commune_tiles, target_trends
from coopchain.monitoring.models import ProvinceTarget, SupportAllocation, SupportProgramme
from coopchain.monitoring.selectors import province_dashboard
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.models import AdminUnit
from coopchain.parties.tests.factories import CooperativeFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune(coop):
    """Ea Tul's commune: the healthy coffee cooperative, a struggling neighbour, one model."""
    ward = coop.ward
    neighbour = CooperativeFactory(name="HTX Rau Ea Tul", province_code="66")
    neighbour.ward = ward
    neighbour.save()
    report(coop, 2024, **strong(traceability_in_use=False, output_value=4_000_000_000))
    report(coop, 2025, **strong(output_value=6_000_000_000, linkage_output_value=3_000_000_000))
    report(neighbour, 2025, revenue=100, cost=300, output_value=2_000_000_000,
           linkage_output_value=0, traceability_in_use=False)  # fmt: skip
    buyer = EnterpriseFactory(name="Công ty Cà phê Ban Mê", province_code="66")
    services.register_linkage_model(
        ward=ward, name="Cà phê Ea Tul – Ban Mê", commodity="coffee", cooperative=coop,
        enterprise=buyer, started_on=date(2025, 3, 1),
    )  # fmt: skip
    dak_lak = AdminUnit.objects.get(code="66")
    services.set_province_target(
        province=dak_lak, code="traceability", title="Traceability in use",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.TRACEABILITY_SHARE,
        target_percent=Decimal(50), due_year=2030,
    )  # fmt: skip
    services.set_province_target(
        province=dak_lak, code="linkages", title="Two linkage models per commune",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES,
        target_percent=Decimal(100), due_year=2030, per_commune=2,
    )  # fmt: skip
    return {"ward": ward, "coop": coop, "neighbour": neighbour, "buyer": buyer}


def test_the_commune_page_lists_its_cooperatives_models_and_indicators(client, officer, commune):
    client.force_login(officer)

    page = client.get(reverse("monitoring:commune", args=[commune["ward"].code])).content.decode()

    assert "HTX Cà phê Ea Tul" in page
    assert "HTX Rau Ea Tul" in page
    assert "Cà phê Ea Tul – Ban Mê" in page
    assert "1 active linkage model, short of the 2 per commune" in page
    # One of the two active cooperatives uses traceability; 3 of 8 billion went through contracts.
    assert "<td>Traceability in use (%)</td><td>50.0</td>" in page
    assert "<td>Through linkage contracts (%)</td><td>37.5</td>" in page
    assert "<td>Output value (VND)</td><td>8,000,000,000</td>" in page


def test_the_cooperative_page_shows_its_years_contracts_and_support_under_the_commune(
    client, officer, commune
):
    coop = commune["coop"]
    make_contract(commune["buyer"], coop, number="HĐ-07/2025", quantity_kg=Decimal(12000))
    programme = SupportProgramme.objects.create(
        province_id="66", name="Chương trình OCOP Đắk Lắk", starts_year=2024, ends_year=2026
    )
    SupportAllocation.objects.create(
        programme=programme, beneficiary=coop, committed=300_000_000, disbursed=120_000_000
    )
    client.force_login(officer)

    page = client.get(reverse("monitoring:cooperative", args=[coop.pk])).content.decode()

    assert reverse("monitoring:commune", args=[coop.ward_id]) in page
    assert "<td>2024</td><td>4,000,000,000</td>" in page
    assert (
        "<td>Công ty Cà phê Ban Mê</td><td>Cà phê nhân Robusta</td><td>1</td><td>12,000</td>"
        in (page)
    )
    assert (
        "<td>Chương trình OCOP Đắk Lắk</td><td></td><td>300,000,000</td><td>120,000,000</td>"
        in (page)
    )
    assert "Losses" not in page


def test_an_officer_of_another_province_is_refused_the_commune_and_the_cooperative(
    client, officer_elsewhere, commune
):
    client.force_login(officer_elsewhere)

    assert client.get(reverse("monitoring:commune", args=[commune["ward"].code])).status_code == 404
    response = client.get(reverse("monitoring:cooperative", args=[commune["coop"].pk]))
    assert response.status_code == 404


def test_a_commune_of_another_province_is_not_found_for_an_officer(client, officer):
    elsewhere = AdminUnit.objects.filter(province_id="11", level=AdminUnit.Level.WARD).first()
    client.force_login(officer)

    assert client.get(reverse("monitoring:commune", args=[elsewhere.code])).status_code == 404


def test_a_cooperative_manager_does_not_see_the_commune_page(client, manager, commune):
    client.force_login(manager)

    assert client.get(reverse("monitoring:commune", args=[commune["ward"].code])).status_code == 404


def test_each_target_has_its_value_year_by_year(commune):
    trends = {t.target.code: t.points for t in target_trends(province_dashboard("66"))}

    # 2024: the coffee cooperative alone reported, without traceability; 2025: one of two.
    assert trends["traceability"] == [(2024, Decimal("0.0")), (2025, Decimal("50.0"))]
    communes = AdminUnit.objects.filter(province_id="66").count()
    assert trends["linkages"] == [(2024, Decimal("0.0")), (2025, Decimal("0.0"))]
    assert communes > 1


def test_trend_columns_are_scaled_to_fit_the_target_and_the_values():
    chart = trend_chart([(2024, Decimal(20)), (2025, None), (2026, Decimal(40))], Decimal(35))

    assert chart.top == 40
    tallest = chart.columns[2]
    assert tallest.y == 16  # the top of the plot
    assert tallest.met
    assert not chart.columns[0].met
    assert chart.columns[1].height == 0
    assert chart.columns[0].height == pytest.approx(tallest.height / 2, abs=0.1)


def test_the_grid_of_communes_colours_each_by_its_linkage_models(commune):
    tiles = {t.ward.code: t for t in commune_tiles(province_dashboard("66"), "models")}

    assert len(tiles) == AdminUnit.objects.filter(province_id="66").count()
    assert (tiles[commune["ward"].code].value, tiles[commune["ward"].code].level) == (1, 1)
    assert sum(t.value for t in tiles.values()) == 1


def test_the_dashboard_draws_the_trend_and_the_grid_and_says_it_is_no_map(client, officer, commune):
    client.force_login(officer)

    page = client.get(reverse("monitoring:province"), {"map": "at_risk"}).content.decode()

    assert "Commune boundaries and coordinates are not available offline" in page
    assert 'class="tile-map worse"' in page
    assert page.count('class="tile l') >= AdminUnit.objects.filter(province_id="66").count()
    assert reverse("monitoring:commune", args=[commune["ward"].code]) in page
    assert "the dashed line is the target (50 %)" in page
    assert 'style="' not in page.split("<main", 1)[-1]
