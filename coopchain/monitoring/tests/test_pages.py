"""A cooperative's own rating page and its report form, and the API beside them."""

from datetime import date

import pytest
from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.monitoring.models import CooperativeReport
from coopchain.monitoring.tests.factories import report, strong
from coopchain.parties.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, secret = issue_api_token(user=user, name="Báo cáo")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_manager_sees_the_rating_its_criteria_and_what_would_raise_it(client, coop, manager):
    report(coop, 2025, **strong(brand_registered=False, ocop_stars=0))
    client.force_login(manager)

    page = client.get(reverse("monitoring:index"), follow=True).content.decode()

    assert "Good" in page or "Fair" in page
    assert "Register the cooperative" in page
    assert "Circular 01/2020/TT-BKHĐT" in page


def test_the_report_form_is_prefilled_from_the_register_and_says_so(client, coop, manager):
    MemberFactory.create_batch(3, organization=coop, joined_on=date(2024, 1, 1))
    client.force_login(manager)

    page = client.get(
        reverse("monitoring:submit_report", args=[coop.pk]), {"year": 2025, "half": 1}
    ).content.decode()

    assert 'name="members" value="3"' in page
    assert "Filled from the membership register" in page


def test_submitting_twice_keeps_both_versions(client, coop, manager):
    client.force_login(manager)
    url = reverse("monitoring:submit_report", args=[coop.pk])
    form = {"year": 2025, "half": 1, "revenue": 1000, "cost": 900, "members": 12}

    client.post(url, form)
    response = client.post(url, {**form, "revenue": 1200}, follow=True)

    versions = CooperativeReport.objects.filter(organization=coop).order_by("version")
    assert [(r.version, r.revenue) for r in versions] == [(1, 1000), (2, 1200)]
    assert "version 2" in response.content.decode()


def test_a_farmer_sees_the_rating_but_cannot_submit_a_report(client, coop, farmer):
    client.force_login(farmer)

    assert client.get(reverse("monitoring:cooperative", args=[coop.pk])).status_code == 200
    response = client.post(
        reverse("monitoring:submit_report", args=[coop.pk]), {"year": 2025, "half": 1}
    )
    assert response.status_code == 403
    assert not CooperativeReport.objects.exists()


def test_another_cooperative_is_not_found_on_the_page_or_the_api(
    client, coop, other_coop, other_manager
):
    report(coop, 2025, **strong())
    client.force_login(other_manager)

    assert client.get(reverse("monitoring:cooperative", args=[coop.pk])).status_code == 404
    api = f"/api/v1/monitoring/cooperatives/{coop.pk}/standing"
    assert client.get(api).status_code == 404


def test_a_report_through_the_api_comes_back_with_its_sources_and_rating(client, coop, manager):
    MemberFactory.create_batch(2, organization=coop, joined_on=date(2024, 1, 1))
    headers = bearer(manager)
    url = f"/api/v1/monitoring/cooperatives/{coop.pk}/reports"

    created = client.post(
        url,
        {"year": 2025, "half": 0, "revenue": 5000, "cost": 6000},
        content_type="application/json",
        **headers,
    )
    standing = client.get(f"/api/v1/monitoring/cooperatives/{coop.pk}/standing", **headers)

    assert created.status_code == 201
    body = created.json()
    assert (body["members"], body["sources"]["members"]) == (2, "membership register")
    assert body["profit"] == -1000
    assert standing.json()["grade"] == "weak"
    assert client.get(url, **headers).json()[0]["version"] == 1


def test_an_impossible_report_through_the_api_is_a_problem_with_the_field(client, coop, manager):
    response = client.post(
        f"/api/v1/monitoring/cooperatives/{coop.pk}/reports",
        {"year": 2025, "half": 1, "ocop_stars": 7},
        content_type="application/json",
        **bearer(manager),
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ocop_stars"
