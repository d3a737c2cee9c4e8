"""The province dashboard: targets computed from reports, lagging communes, cooperatives at risk
with reasons, support by cooperative — for the province's officers only, with no member's data."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from coopchain.monitoring import services
from coopchain.monitoring.models import ProvinceTarget
from coopchain.monitoring.selectors import province_dashboard
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.models import AdminUnit
from coopchain.parties.tests.factories import CooperativeFactory, EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db

ON = date(2026, 2, 1)


@pytest.fixture
def province(coop, officer):
    """Đắk Lắk with two cooperatives (one struggling), its targets, and linkage models."""
    dak_lak = AdminUnit.objects.get(code="66")
    struggling = CooperativeFactory(name="HTX Rau Krông Búk", province_code="66")
    MemberFactory(organization=coop, head_of_household="Y Bhin Niê", joined_on=date(2020, 1, 1))
    report(coop, 2025, **strong(output_value=6_000_000_000, support_received=200_000_000))
    report(struggling, 2025, 1, revenue=100, cost=300, output_value=1_000_000_000)
    report(struggling, 2025, 2, revenue=100, cost=200, output_value=1_000_000_000,
           support_received=50_000_000)  # fmt: skip
    services.set_province_output(province=dak_lak, year=2025, value=40_000_000_000)
    services.set_province_target(
        province=dak_lak, code="output-share", title="Output through cooperatives",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.OUTPUT_SHARE,
        target_percent=Decimal(35), due_year=2030,
    )  # fmt: skip
    services.set_province_target(
        province=dak_lak, code="linkages", title="Two linkage models per commune",
        source="Resolution 20/2025/NQ-HĐND", measure=ProvinceTarget.Measure.COMMUNES_WITH_LINKAGES,
        target_percent=Decimal(100), due_year=2030, per_commune=2,
    )  # fmt: skip
    buyer = EnterpriseFactory(province_code="66")
    for name in ("Cà phê A", "Cà phê B"):
        services.register_linkage_model(
            ward=coop.ward, name=name, commodity="coffee", cooperative=coop,
            enterprise=buyer, started_on=date(2024, 1, 1),
        )  # fmt: skip
    other_ward = AdminUnit.objects.filter(province_id="66").exclude(code=coop.ward_id).first()
    struggling.ward = other_ward
    struggling.save()
    services.register_linkage_model(
        ward=other_ward, name="Rau C", commodity="vegetables", cooperative=struggling,
        enterprise=None, started_on=date(2024, 1, 1),
    )  # fmt: skip
    return {"coop": coop, "struggling": struggling, "other_ward": other_ward}


def test_the_output_target_is_the_reported_output_against_the_provinces_total(province):
    dashboard = province_dashboard("66", on=ON)

    output = next(t for t in dashboard.targets if t.target.code == "output-share")
    # 6 billion (the year's report) + 2 billion (two halves) of 40 billion.
    assert output.numerator == 8_000_000_000
    assert output.value == Decimal("20.0")
    assert not output.met


def test_communes_with_fewer_than_two_models_lag(province):
    dashboard = province_dashboard("66", on=ON)

    linkages = next(t for t in dashboard.targets if t.target.code == "linkages")
    assert linkages.numerator == 1
    assert linkages.denominator == AdminUnit.objects.filter(province_id="66").count()
    assert [c.ward for c in dashboard.lagging_communes] == [province["other_ward"]]


def test_the_struggling_cooperative_is_at_risk_with_its_reasons_and_support_is_summed(province):
    dashboard = province_dashboard("66", on=ON)

    [at_risk] = dashboard.at_risk
    assert at_risk.organization == province["struggling"]
    assert {"losses", "no_linkage"} <= {a.code for a in at_risk.alerts}
    assert [(s.organization.name, s.support_total) for s in dashboard.support] == [
        (province["coop"].name, 200_000_000),
        (province["struggling"].name, 50_000_000),
    ]
    assert province["coop"] in [s.organization for s in dashboard.healthy]


def test_the_officer_home_shows_the_dashboard_without_any_members_data(client, province, officer):
    client.force_login(officer)

    page = client.get(reverse("home")).content.decode()

    assert escape(province["struggling"].name) in page
    assert "Losses two periods running" in page
    assert "Resolution 20/2025/NQ-HĐND" in page
    assert "Y Bhin Niê" not in page
    assert "<svg" in page


def test_an_officer_of_another_province_sees_none_of_it(client, province, officer_elsewhere):
    client.force_login(officer_elsewhere)

    page = client.get(reverse("monitoring:province")).content.decode()
    coop_page = client.get(reverse("monitoring:cooperative", args=[province["coop"].pk]))
    api = client.get("/api/v1/monitoring/province", {"province_code": "66"})

    assert escape(province["struggling"].name) not in page
    assert "Resolution 20/2025" not in page
    assert coop_page.status_code == 404
    assert api.status_code == 404


def test_the_officer_reads_the_same_figures_through_the_api(client, province, officer):
    client.force_login(officer)

    body = client.get("/api/v1/monitoring/province").json()

    assert body["province_code"] == "66"
    assert [s["name"] for s in body["at_risk"]] == [province["struggling"].name]
    assert body["by_status"]["active"] == 2


def test_a_cooperative_manager_has_no_province_dashboard(client, manager):
    client.force_login(manager)

    assert client.get(reverse("monitoring:province")).status_code == 404


def test_a_cooperative_manager_gets_only_the_public_aggregates_of_its_province(
    client, province, manager
):
    client.force_login(manager)

    body = client.get("/api/v1/monitoring/province").json()
    elsewhere = client.get("/api/v1/monitoring/province", {"province_code": "11"})

    assert body["officer_view"] is False
    assert body["by_status"]["active"] == 2
    assert body["at_risk"] == []
    assert body["support"] == []
    assert elsewhere.status_code == 404


def test_the_officer_downloads_every_table_as_a_workbook(client, province, officer):
    client.force_login(officer)

    response = client.get(reverse("monitoring:province_export"))

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [
        "Targets", "Cooperatives", "Communes", "Support", "Targets by year",
        "Support programmes", "Linkage models",
    ]  # fmt: skip
    cooperatives = [row[0] for row in book["Cooperatives"].iter_rows(values_only=True)]
    assert province["struggling"].name in cooperatives
    text = " ".join(
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
    )
    assert "Y Bhin Niê" not in text


def test_an_officer_of_another_province_downloads_none_of_these_cooperatives(
    client, province, officer_elsewhere
):
    client.force_login(officer_elsewhere)

    response = client.get(reverse("monitoring:province_export"))

    assert province["struggling"].name.encode() not in response.content
