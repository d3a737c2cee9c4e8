"""A province with more cooperatives than the dashboard shows: the dashboard keeps the
best-rated, the most at risk and the most supported, and links to the full list page by page,
while the workbook keeps every cooperative."""

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from coopchain.monitoring.drilldown import DASHBOARD_ROWS
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

MANY = DASHBOARD_ROWS + 5


@pytest.fixture
def crowded():
    """MANY strong cooperatives and MANY losing ones that received support, in Đắk Lắk."""
    strong_ones = [
        CooperativeFactory(name=f"HTX Mạnh {i:02}", province_code="66") for i in range(MANY)
    ]
    losing = [CooperativeFactory(name=f"HTX Lỗ {i:02}", province_code="66") for i in range(MANY)]
    for coop in strong_ones:
        report(coop, 2025, **strong())
    for i, coop in enumerate(losing):
        report(coop, 2025, 1, revenue=100, cost=300, support_received=1_000_000 * (i + 1))
        report(coop, 2025, 2, revenue=100, cost=300)
    return {"strong": strong_ones, "losing": losing}


def test_the_dashboard_shows_the_top_rows_and_links_to_the_full_lists(client, crowded, officer):
    client.force_login(officer)

    page = client.get(reverse("monitoring:province")).content.decode()

    assert page.count("HTX Mạnh") == DASHBOARD_ROWS
    assert f"The {DASHBOARD_ROWS} best rated of {2 * MANY} cooperatives." in page
    assert f"The {DASHBOARD_ROWS} at most risk of {MANY}." in page
    assert escape(reverse("monitoring:province_cooperatives") + "?show=at_risk") in page
    assert page.count("Losses two periods running") == DASHBOARD_ROWS
    support = page.split('id="support-title"')[1]
    # The most supported cooperative is shown, the least supported only in the full list.
    assert f"HTX Lỗ {MANY - 1:02}" in support
    assert "HTX Lỗ 00" not in support
    assert f"Total of {MANY} cooperatives" in support


def test_the_full_list_pages_through_every_cooperative(client, crowded, officer):
    client.force_login(officer)
    url = reverse("monitoring:province_cooperatives")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert f"{2 * MANY} cooperatives" in first
    assert "Page 1 of 1" not in first
    names = [c.name for c in crowded["losing"] + crowded["strong"]]
    assert all(escape(n) in first + second for n in names)


def test_the_at_risk_list_holds_only_those_at_risk_most_at_risk_first(client, crowded, officer):
    client.force_login(officer)

    page = client.get(
        reverse("monitoring:province_cooperatives"), {"show": "at_risk"}
    ).content.decode()

    assert f"{MANY} cooperatives" in page
    assert "HTX Lỗ 00" in page
    assert "HTX Mạnh" not in page
    assert "Losses two periods running" in page


def test_the_workbook_still_lists_every_cooperative(client, crowded, officer):
    client.force_login(officer)

    response = client.get(reverse("monitoring:province_export"))

    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    names = {row[0] for row in workbook["Cooperatives"].iter_rows(values_only=True)}
    assert {c.name for c in crowded["strong"] + crowded["losing"]} <= names


def test_an_officer_of_another_province_gets_no_list(client, crowded, officer_elsewhere, manager):
    client.force_login(officer_elsewhere)
    elsewhere = client.get(reverse("monitoring:province_cooperatives"))
    client.force_login(manager)
    cooperative = client.get(reverse("monitoring:province_cooperatives"))

    assert "HTX Mạnh" not in elsewhere.content.decode()
    assert cooperative.status_code == 404
