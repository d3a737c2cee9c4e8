"""A fat × SNF two-axis rate chart: the cell reached prices the milk, bacteria still cost,
milk below every cell is not paid, and the price is kept with the delivery."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coopchain.accounts.services import issue_api_token
from coopchain.dairy import pricing, services
from coopchain.dairy.tests.factories import deliver
from coopchain.errors import InvalidInput
from coopchain.parties.tenancy import SYSTEM

GRID = pricing.Chart(
    base_price=1,
    grid=[
        (Decimal("3.2"), Decimal("8.0"), 12_000),
        (Decimal("3.2"), Decimal("8.5"), 12_500),
        (Decimal("3.8"), Decimal("8.0"), 13_000),
        (Decimal("3.8"), Decimal("8.5"), 13_600),
    ],
    bacteria_grades=[(1_000_000, 500)],
)


@pytest.mark.parametrize(
    ("fat", "snf", "expected"),
    [
        ("3.20", "8.00", 12_000),
        ("3.79", "8.49", 12_000),
        ("3.79", "8.50", 12_500),
        ("3.80", "8.49", 13_000),
        ("4.50", "9.00", 13_600),
        ("3.19", "9.00", 0),
        ("4.00", "7.99", 0),
    ],
)
def test_the_grid_cell_reached_prices_the_milk(fat, snf, expected):
    price = pricing.price_per_kg(
        GRID, total_solids=None, plate_count=None, fat=Decimal(fat), snf=Decimal(snf)
    )

    assert price.per_kg == expected


def test_bacteria_are_taken_off_the_grid_price():
    price = pricing.price_per_kg(
        GRID, total_solids=None, plate_count=1_500_000, fat=Decimal("4"), snf=Decimal("8.6")
    )

    assert price.per_kg == 13_100
    assert [line["code"] for line in price.lines] == ["grid", "bacteria"]


@pytest.mark.django_db
def test_a_grid_chart_prices_a_delivery_and_a_later_chart_does_not_change_it(coop, member, centre):
    today = timezone.localdate()
    services.create_rate_chart(
        organization=coop,
        name="Grid 2026",
        base_price=1,
        valid_from=today - timedelta(days=30),
        grid=[(Decimal("3.5"), Decimal("8.3"), 14_000)],
        by=SYSTEM,
    )
    delivery = deliver(member, centre, quantity="10", fat="3.8", snf="8.6")
    services.create_rate_chart(
        organization=coop,
        name="Grid later",
        base_price=1,
        valid_from=today,
        grid=[(Decimal("3.5"), Decimal("8.3"), 99_000)],
        by=SYSTEM,
    )
    delivery.refresh_from_db()

    assert (delivery.price_per_kg, delivery.amount) == (14_000, 140_000)


@pytest.mark.django_db
def test_a_grid_with_a_cell_twice_is_refused(coop):
    with pytest.raises(InvalidInput):
        services.create_rate_chart(
            organization=coop,
            name="Bad grid",
            base_price=1,
            valid_from=timezone.localdate(),
            grid=[(Decimal("3.5"), Decimal("8.3"), 14_000), (Decimal("3.5"), Decimal("8.3"), 1)],
            by=SYSTEM,
        )


@pytest.mark.django_db
def test_a_grid_chart_is_made_read_and_ended_through_the_api(client, manager, coop, member, centre):
    _token, secret = issue_api_token(user=manager)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    start = timezone.localdate() - timedelta(days=5)
    payload = {
        "organization_id": coop.pk,
        "name": "Grid by API",
        "base_price": 1,
        "valid_from": start.isoformat(),
        "grid": [["3.2", "8.0", 12000], ["3.8", "8.5", 13600]],
    }

    made = client.post("/api/v1/dairy/rate-charts", payload, content_type="application/json")
    chart_id = made.json()["id"]
    delivery = deliver(member, centre, quantity="10", fat="3.9", snf="8.6")
    raised = client.put(
        f"/api/v1/dairy/rate-charts/{chart_id}",
        {**payload, "grid": [["3.2", "8.0", 12000], ["3.8", "8.5", 99000]]},
        content_type="application/json",
    )
    ended = client.put(
        f"/api/v1/dairy/rate-charts/{chart_id}",
        {**payload, "valid_to": delivery.collection_day.isoformat()},
        content_type="application/json",
    )

    assert made.status_code == 201
    assert made.json()["grid"] == [["3.20", "8.00", 12000], ["3.80", "8.50", 13600]]
    assert delivery.price_per_kg == 13600
    assert raised.status_code == 409
    assert "its prices stay as they were" in raised.json()["detail"]
    assert ended.status_code == 200
    assert ended.json()["valid_to"] == delivery.collection_day.isoformat()
