"""The manager's pages: rate charts with validity dates by grades or a fat × SNF grid, lab
tests on a delivery or a bulk lot, and deductions for a period — each refusing bad input with
its reason while keeping what was typed, and closed to anyone but the cooperative's managers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.models import Deduction, LabTest, RateChart
from coopchain.dairy.tests.factories import deliver
from coopchain.parties.tenancy import SYSTEM

pytestmark = pytest.mark.django_db

GRID = "8.0 8.5\n3.2 12000 12500\n3.8 13000 13600"


def chart_form(**overrides):
    data = {
        "name": "Sữa Tản Viên 2026",
        "base_price": "14000",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "solids_grades": "11.5 0\n12,0 250",
        "bacteria_grades": "350000 300",
        "grid": "",
        "source": "",
    }
    data.update(overrides)
    return data


def test_a_manager_makes_a_chart_by_grades_with_its_validity_dates(client, manager, coop):
    client.force_login(manager)

    response = client.post(
        reverse("dairy:rate_chart_new"), chart_form(valid_to="2026-06-30"), follow=True
    )

    chart = RateChart.objects.get(organization=coop)
    assert (chart.valid_from, chart.valid_to) == (date(2026, 1, 1), date(2026, 6, 30))
    assert [(g.min_total_solids, g.adjustment) for g in chart.solids_grades.all()] == [
        (Decimal("11.50"), 0),
        (Decimal("12.00"), 250),
    ]
    assert "Sữa Tản Viên 2026" in response.content.decode()


def test_a_fat_by_snf_grid_is_typed_as_a_table_and_prices_deliveries(
    client, manager, coop, member, centre
):
    client.force_login(manager)
    start = timezone.localdate() - timedelta(days=10)

    client.post(
        reverse("dairy:rate_chart_new"), chart_form(valid_from=start, solids_grades="", grid=GRID)
    )
    delivery = deliver(member, centre, quantity="10", fat="3.9", snf="8.6")

    chart = RateChart.objects.get(organization=coop)
    assert [(c.min_fat, c.min_snf, c.price) for c in chart.grid.all()] == [
        (Decimal("3.20"), Decimal("8.00"), 12000),
        (Decimal("3.20"), Decimal("8.50"), 12500),
        (Decimal("3.80"), Decimal("8.00"), 13000),
        (Decimal("3.80"), Decimal("8.50"), 13600),
    ]
    assert (delivery.price_per_kg, delivery.amount) == (13600, 136000)
    edit = client.get(reverse("dairy:rate_chart_edit", args=[chart.pk])).content.decode()
    assert "3.80 13000 13600" in edit


def test_a_grid_row_short_of_a_price_is_refused_with_its_line_and_the_input_kept(
    client, manager, coop
):
    client.force_login(manager)
    typed = "8.0 8.5\n3.2 12000\n3.8 13000 13600"

    response = client.post(reverse("dairy:rate_chart_new"), chart_form(grid=typed))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: the fat % then 2 prices (“3.2 12000”)." in page
    assert "3.2 12000\n3.8 13000 13600</textarea>" in page
    assert not RateChart.objects.exists()


def test_grades_that_pay_less_for_more_solids_are_refused_with_the_reason(client, manager):
    client.force_login(manager)

    response = client.post(
        reverse("dairy:rate_chart_new"), chart_form(solids_grades="11.5 300\n12.0 100")
    )

    page = response.content.decode()
    assert "higher total solids must not pay less per kg" in page
    assert "11.5 300\n12.0 100</textarea>" in page


def test_a_chart_that_priced_deliveries_keeps_its_prices_but_can_be_ended(
    client, manager, coop, member, centre, chart
):
    client.force_login(manager)
    delivery = deliver(member, centre)
    url = reverse("dairy:rate_chart_edit", args=[chart.pk])
    initial = client.get(url).context["form"].initial
    current = {k: "" if v is None else v for k, v in initial.items()}

    raised = client.post(url, {**current, "base_price": "99000", "valid_to": ""})
    ended = client.post(
        url, {**current, "valid_to": delivery.collection_day, "valid_from": current["valid_from"]}
    )

    assert "its prices stay as they were" in raised.content.decode()
    assert ended.status_code == 302
    chart.refresh_from_db()
    assert (chart.base_price, chart.valid_to) == (14000, delivery.collection_day)


def test_only_the_cooperatives_managers_set_prices_and_deductions(
    client, staff, collector, other_manager, chart
):
    for user in (staff, collector):
        client.force_login(user)
        assert client.get(reverse("dairy:rate_chart_new")).status_code == 403
        assert client.get(reverse("dairy:deductions")).status_code == 403
    client.force_login(other_manager)
    assert client.get(reverse("dairy:rate_chart_edit", args=[chart.pk])).status_code == 404


def test_a_lab_test_is_recorded_against_a_delivery_and_flags_it(
    client, manager, coop, member, centre, chart
):
    client.force_login(manager)
    delivery = deliver(member, centre)

    response = client.post(
        reverse("dairy:delivery_lab_test", args=[delivery.pk]),
        {"sampled_on": delivery.collection_day, "plate_count": "4000000", "laboratory": "TV"},
        follow=True,
    )

    test = LabTest.objects.get(delivery=delivery)
    assert test.plate_count == 4_000_000
    assert [f["code"] for f in test.flags] == ["high_plate_count"]
    assert "Bacteria 4000000 per ml, above the 3000000 limit." in response.content.decode()


def test_a_lab_test_of_a_bulk_lot_out_of_range_is_refused_and_kept(
    client, manager, coop, member, centre, chart
):
    client.force_login(manager)
    delivery = deliver(member, centre, on=timezone.localdate() - timedelta(days=1))
    [bulk] = services.make_bulk_lots(
        organization=coop, tanks=[(centre, delivery.collection_day, "morning")], by=SYSTEM
    )
    url = reverse("dairy:bulk_lot_lab_test", args=[bulk.pk])

    refused = client.post(url, {"sampled_on": delivery.collection_day, "freezing_point": "0.5"})
    recorded = client.post(url, {"sampled_on": delivery.collection_day, "freezing_point": "-0.53"})

    page = refused.content.decode()
    assert "must be between -1 and 0" in page
    assert 'value="0.5"' in page
    assert recorded.status_code == 302
    assert LabTest.objects.get(bulk_lot=bulk).freezing_point == Decimal("-0.530")


def test_a_manager_records_a_deduction_for_a_period_and_sees_it_listed(
    client, manager, coop, member
):
    client.force_login(manager)
    day = timezone.localdate() - timedelta(days=2)
    query = f"?start={day - timedelta(days=5)}&end={day + timedelta(days=1)}"

    response = client.post(
        reverse("dairy:deductions") + query,
        {
            "member": member.code,
            "on": day,
            "kind": "advance",
            "amount": "2000000",
            "note": "Tạm ứng",
        },
        follow=True,
    )

    deduction = Deduction.objects.get(member=member)
    assert (deduction.kind, deduction.amount, deduction.on) == ("advance", 2_000_000, day)
    assert "2,000,000" in response.content.decode()


def test_a_deduction_in_a_closed_period_is_refused_and_the_input_kept(
    client, manager, coop, member, centre, chart
):
    client.force_login(manager)
    day = timezone.localdate() - timedelta(days=2)
    deliver(member, centre, on=day)
    services.generate_bills(organization=coop, start=day, end=day, by=SYSTEM)
    services.close_bills(organization=coop, start=day, end=day, by=SYSTEM)

    response = client.post(
        reverse("dairy:deductions"),
        {"member": member.code, "on": day, "kind": "feed", "amount": "480000", "note": "Cám"},
    )

    page = response.content.decode()
    assert "This member&#x27;s bill for that day is closed." in page
    assert 'value="480000"' in page
    assert not Deduction.objects.exists()
