"""A plot's land-use history through /api/v1/: steps added and listed, a bad step refused with
the field and reason, another cooperative's plot not found."""

import json

import pytest

from coopchain.accounts.services import issue_api_token
from coopchain.compliance.models import LandUseRecord
from coopchain.compliance.tests.support import make_plot


def bearer(user):
    _token, secret = issue_api_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def plot(member, manager):
    return make_plot(member, "EA-09", by=manager)


def post(client, plot, user, **payload):
    return client.post(
        f"/api/v1/plots/{plot.pk}/land-use",
        json.dumps(payload),
        content_type="application/json",
        **bearer(user),
    )


def test_steps_are_recorded_and_listed_oldest_first(client, manager, plot):
    cleared = post(
        client,
        plot,
        manager,
        since="2022-03-01",
        use="perennial_crop",
        source="imagery",
        cleared_forest=True,
        cleared_area_ha="0.8",
    )
    earlier = post(client, plot, manager, since="2009-05-01", use="perennial_crop", source="member")

    assert (cleared.status_code, earlier.status_code) == (201, 201)
    listed = client.get(f"/api/v1/plots/{plot.pk}/land-use", **bearer(manager)).json()
    assert [(r["since"], r["cleared_forest"]) for r in listed] == [
        ("2009-05-01", False),
        ("2022-03-01", True),
    ]
    assert listed[1]["cleared_area_ha"] == "0.8000"


def test_a_step_in_the_future_is_refused_with_its_field(client, manager, plot):
    response = post(client, plot, manager, since="2999-01-01", use="pasture", source="member")

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["since"]
    assert not LandUseRecord.objects.exists()


def test_another_cooperatives_plot_is_not_found(client, other_manager, plot):
    response = post(client, plot, other_manager, since="2009-05-01", use="pasture", source="member")

    assert response.status_code == 404
    assert (
        client.get(f"/api/v1/plots/{plot.pk}/land-use", **bearer(other_manager)).status_code == 404
    )
