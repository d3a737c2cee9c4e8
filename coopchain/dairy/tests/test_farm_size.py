"""Herd and farm size: cows per farm over time, the size classes, and the share of milk each
class delivers, on the cooperative's page and through the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.accounts.services import issue_api_token
from coopchain.dairy import selectors, services
from coopchain.dairy.models import FarmSizeClass, HerdRecord
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import InvalidInput
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_the_five_size_classes_are_data_from_household_to_large_farms():
    bands = [(c.min_cows, c.max_cows) for c in FarmSizeClass.objects.all()]

    assert bands == [(0, 4), (5, 19), (20, 99), (100, 999), (1000, None)]
    assert [c.holds(4) for c in FarmSizeClass.objects.all()][:2] == [True, False]
    assert FarmSizeClass.objects.get(min_cows=1000).holds(25_000)


def test_a_farm_is_classed_by_its_latest_herd_and_milk_shared_by_class(
    manager, coop, member, centre, chart
):
    large = MemberFactory(organization=coop)
    day = timezone.localdate() - timedelta(days=2)
    services.record_herd(member=member, on=day - timedelta(days=60), cows=3, by=SYSTEM)
    services.record_herd(member=member, on=day - timedelta(days=5), cows=6, by=SYSTEM)
    services.record_herd(member=large, on=day - timedelta(days=5), cows=120, by=SYSTEM)
    deliver(member, centre, on=day, quantity="25")
    deliver(large, centre, on=day, quantity="75")
    deliver(large, centre, on=day, shift="evening", antibiotic="positive")  # rejected: not counted

    rows = selectors.milk_by_farm_size(manager, organization=coop, start=day, end=day)

    by_label = {r["label"]: r for r in rows}
    assert by_label["5–19 cows"]["farms"] == 1
    assert by_label["5–19 cows"]["cows"] == 6
    assert str(by_label["5–19 cows"]["share"]) == "25.0"
    assert str(by_label["100–999 cows"]["share"]) == "75.0"
    assert by_label["fewer than 5 cows"]["farms"] == 0


def test_a_farm_without_a_herd_record_is_counted_apart(manager, coop, member, centre, chart):
    day = timezone.localdate() - timedelta(days=1)
    deliver(member, centre, on=day, quantity="10")

    rows = selectors.milk_by_farm_size(manager, organization=coop, start=day, end=day)

    assert rows[-1]["label"] == "no herd record"
    assert str(rows[-1]["share"]) == "100.0"


def test_a_herd_recorded_twice_on_a_day_keeps_the_second_and_refuses_a_negative(coop, member):
    day = timezone.localdate()
    services.record_herd(member=member, on=day, cows=4, by=SYSTEM)
    services.record_herd(member=member, on=day, cows=5, by=SYSTEM)

    assert list(HerdRecord.objects.values_list("cows", flat=True)) == [5]
    with pytest.raises(InvalidInput):
        services.record_herd(member=member, on=day, cows=-1, by=SYSTEM)


def test_the_cooperative_page_shows_milk_by_farm_size(client, manager, coop, member, centre, chart):
    services.record_herd(member=member, on=timezone.localdate(), cows=8, by=SYSTEM)
    deliver(member, centre, quantity="20")
    client.force_login(manager)

    page = client.get(reverse("dairy:index") + f"?org={coop.pk}").content.decode()

    assert "Milk by farm size" in page
    assert "5–19 cows" in page
    assert "100.0 %" in page


def test_herds_are_posted_and_shares_read_through_the_api(client, manager, coop, member):
    _token, secret = issue_api_token(user=manager)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    day = timezone.localdate().isoformat()

    posted = client.post(
        "/api/v1/dairy/herd-records",
        {"member_id": member.pk, "on": day, "cows": 1500},
        content_type="application/json",
    )
    shares = client.get(
        f"/api/v1/dairy/organizations/{coop.pk}/farm-sizes", {"start": day, "end": day}
    ).json()

    assert posted.status_code == 201
    assert posted.json()["cows"] == 1500
    assert shares[-1]["label"] == "1,000 cows and more"
    assert shares[-1]["farms"] == 1
