"""The diary through /api/v1/: products, entries, corrections, harvests and findings."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from coopchain.accounts.services import issue_api_token
from coopchain.diary.models import Activity
from coopchain.diary.tests.factories import spray

DAY = timezone.localdate() - timedelta(days=10)


def bearer(user) -> dict[str, str]:
    _token, secret = issue_api_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post(client, url, body, user):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


@pytest.fixture
def entries_url(coop):
    return f"/api/v1/organizations/{coop.pk}/diary/entries"


def test_a_farmer_records_a_spray_and_reads_it_back_with_its_findings(
    client, farmer, plot, paraquat, entries_url
):
    created = post(
        client,
        entries_url,
        {
            "kind": "spraying",
            "performed_on": DAY.isoformat(),
            "plot_ids": [plot.pk],
            "lines": [{"product_id": paraquat.pk, "quantity": "1", "unit": "LTR"}],
        },
        farmer,
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["kind"] == "spraying"
    assert body["current"] is True
    assert "banned" in {f["code"] for f in body["findings"]}
    listed = client.get(f"/api/v1/diary/entries?plot_id={plot.pk}", **bearer(farmer)).json()
    assert [e["id"] for e in listed["items"]] == [body["id"]]


def test_a_bad_entry_is_refused_with_each_field_and_reason(client, staff, plot, entries_url):
    response = post(
        client,
        entries_url,
        {
            "kind": "spraying",
            "performed_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "plot_ids": [plot.pk, 999999],
            "lines": [{"product_id": 999999, "quantity": "0", "unit": "BAG"}],
        },
        staff,
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "performed_on",
        "plots",
        "lines.0.product",
        "lines.0.quantity",
        "lines.0.unit",
    }
    assert not Activity.objects.exists()


def test_a_harvest_returns_its_lot_and_the_findings_that_mark_it(
    client, staff, coop, plot, abamectin
):
    spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    body = {
        "performed_on": (DAY + timedelta(days=5)).isoformat(),
        "plot_ids": [plot.pk],
        "crop": "coffee-robusta",
        "harvest_quantity": "950",
        "harvest_unit": "KGM",
    }

    checked = post(client, f"/api/v1/organizations/{coop.pk}/diary/harvests/check", body, staff)
    recorded = post(client, f"/api/v1/organizations/{coop.pk}/diary/harvests", body, staff)

    assert checked.status_code == 200
    assert [f["code"] for f in checked.json()] == ["phi"]
    assert recorded.status_code == 201, recorded.content
    result = recorded.json()
    assert result["lot"]["eligible"] is False
    assert result["lot"]["quantity"] == "950.000"
    assert result["lot"]["epc"].startswith("http")
    assert [f["code"] for f in result["findings"]] == ["phi"]
    assert "Abamectin test 1.8 EC" in result["lot"]["reasons"][0]


def test_a_correction_and_a_withdrawal_are_new_entries(client, staff, coop, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    body = {
        "kind": "spraying",
        "performed_on": DAY.isoformat(),
        "plot_ids": [plot.pk],
        "lines": [{"product_id": abamectin.pk, "quantity": "0.25", "unit": "LTR"}],
        "reason": "0.25 l",
    }

    corrected = post(client, f"/api/v1/diary/entries/{original.pk}/corrections", body, staff)
    again = post(client, f"/api/v1/diary/entries/{original.pk}/corrections", body, staff)
    withdrawn = post(
        client,
        f"/api/v1/diary/entries/{corrected.json()['id']}/withdrawal",
        {"reason": "never sprayed"},
        staff,
    )
    history = client.get("/api/v1/diary/entries?include_superseded=true", **bearer(staff)).json()[
        "items"
    ]

    assert corrected.status_code == 201
    assert corrected.json()["corrects_id"] == original.pk
    assert again.status_code == 409
    assert withdrawn.status_code == 201
    assert withdrawn.json()["withdrawn"] is True
    assert len(history) == 3
    assert client.get("/api/v1/diary/entries", **bearer(staff)).json()["count"] == 0


def test_findings_are_listed_across_the_cooperative_and_filtered(
    client, manager, staff, coop, plot, paraquat
):
    spray(organization=coop, plot=plot, product=paraquat, on=DAY, by=staff, quantity="1")

    listed = client.get(
        f"/api/v1/diary/findings?organization_id={coop.pk}&code=banned", **bearer(manager)
    ).json()

    assert [row["finding"]["code"] for row in listed["items"]] == ["banned"]
    assert listed["items"][0]["plot_ids"] == [plot.pk]


def test_a_cooperative_adds_a_product_and_lists_it_with_the_shared_catalogue(client, manager, coop):
    created = post(
        client,
        f"/api/v1/organizations/{coop.pk}/input-products",
        {
            "name": "Trichoderma WP",
            "kind": "fungicide",
            "phi_days": {"coffee-robusta": 0},
            "max_dose_per_ha": "2",
            "dose_unit": "KGM",
        },
        manager,
    )
    listed = client.get(
        f"/api/v1/input-products?organization_id={coop.pk}&kind=fungicide&page_size=100",
        **bearer(manager),
    ).json()

    assert created.status_code == 201, created.content
    assert created.json()["phi"] == [{"crop": "coffee-robusta", "days": 0}]
    names = {p["name"] for p in listed["items"]}
    assert {"Trichoderma WP", "Copper oxychloride 85 WP"} <= names


def test_another_cooperative_gets_not_found(client, other_manager, staff, coop, plot, abamectin):
    entry = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    headers = bearer(other_manager)

    assert client.get(f"/api/v1/diary/entries/{entry.pk}", **headers).status_code == 404
    assert client.get(f"/api/v1/diary/entries?plot_id={plot.pk}", **headers).status_code == 404
    refused = post(
        client,
        f"/api/v1/diary/entries/{entry.pk}/withdrawal",
        {"reason": "x"},
        other_manager,
    )
    assert refused.status_code == 404
    assert Activity.objects.count() == 1
