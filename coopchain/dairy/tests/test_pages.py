"""The pages: the collector's screen and receipt, a farmer's own deliveries, the cooperative's
deliveries needing attention, bulk lots and bills with their export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.models import Delivery
from coopchain.dairy.tests.factories import deliver
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def form(centre, member_text, **overrides):
    data = {
        "centre": centre.pk,
        "shift": "morning",
        "member": member_text,
        "quantity": "21.5",
        "unit": "KGM",
        "fat": "3.8",
        "snf": "8.6",
        "temperature": "4",
        "antibiotic": "negative",
    }
    data.update(overrides)
    return data


def test_a_collector_records_by_name_without_diacritics_and_sees_the_receipt(
    client, collector, member, centre, chart
):
    client.force_login(collector)

    response = client.post(reverse("dairy:collect"), form(centre, "nguyen thi dao"), follow=True)

    text = response.content.decode()
    delivery = Delivery.objects.get()
    assert delivery.member == member
    assert "21.50 kg" in text
    assert "14,250 VND/kg" in text
    assert "306,375 VND" in text


def test_several_matching_members_are_offered_as_buttons(client, collector, coop, centre, chart):
    MemberFactory(organization=coop, head_of_household="Nguyễn Văn An", code="BV-0101")
    MemberFactory(organization=coop, head_of_household="Nguyễn Văn Anh", code="BV-0102")
    client.force_login(collector)

    response = client.post(reverse("dairy:collect"), form(centre, "nguyen van an"))

    assert response.status_code == 200
    assert 'value="BV-0101"' in response.content.decode()
    assert Delivery.objects.count() == 0


def test_the_receipt_shows_flags_in_words(client, collector, member, centre, chart):
    client.force_login(collector)

    response = client.post(
        reverse("dairy:collect"),
        form(centre, member.code, snf="7.47", fat="3.3", temperature="9"),
        follow=True,
    )

    text = response.content.decode()
    assert "Possibly watered" in text
    assert "above the 6 °C limit" in text


def test_a_farmer_sees_their_own_deliveries_only(client, farmer, member, coop, centre, chart):
    neighbour = MemberFactory(organization=coop, head_of_household="Hàng Xóm")
    own = deliver(member, centre, quantity="11")
    other = deliver(neighbour, centre, quantity="13")
    client.force_login(farmer)

    page = client.get(reverse("dairy:index")).content.decode()

    assert member.code in page
    assert neighbour.head_of_household not in page
    assert client.get(reverse("dairy:delivery_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("dairy:delivery_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("dairy:collect")).status_code == 403


def test_the_cooperative_sees_flagged_deliveries_per_centre_and_day(
    client, manager, member, centre, chart
):
    deliver(member, centre, antibiotic="positive")
    deliver(member, centre, shift="evening")
    client.force_login(manager)

    text = client.get(reverse("dairy:attention")).content.decode()

    assert centre.name in text
    assert "Antibiotic residue test positive" in text
    assert text.count("/dairy/deliveries/") == 1


def test_bills_are_made_shown_and_exported(client, manager, member, coop, centre, chart):
    day = timezone.localdate() - timedelta(days=2)
    deliver(member, centre, on=day, quantity="20")
    client.force_login(manager)
    query = f"?start={day}&end={day}"

    client.post(reverse("dairy:bills") + query, {"start": day, "end": day, "action": "generate"})
    listed = client.get(reverse("dairy:bills") + query).content.decode()
    exported = client.get(reverse("dairy:bills_export") + query + "&fmt=csv")

    assert "285,000" in listed
    assert exported.status_code == 200
    assert "285000" in exported.content.decode("utf-8-sig")


def test_a_bulk_lot_page_lists_its_deliveries(client, manager, member, coop, centre, chart):
    day = timezone.localdate() - timedelta(days=1)
    deliver(member, centre, on=day)
    [bulk] = services.make_bulk_lots(organization=coop, tanks=[(centre, day, "morning")], by=SYSTEM)
    client.force_login(manager)

    text = client.get(reverse("dairy:bulk_lot_detail", args=[bulk.pk])).content.decode()

    assert member.head_of_household in text
    assert "Ship to the processor" in text


def test_a_farmer_reads_their_bill_line_by_line_with_its_rounding_stated(
    client, farmer, member, coop, centre, chart
):
    day = timezone.localdate() - timedelta(days=2)
    deliver(member, centre, on=day, quantity="17.35")  # 17.35 × 14,250 = 247,237.5 → 247,238
    services.add_deduction(member=member, on=day, kind="fee", amount=20000, by=SYSTEM)
    [bill] = services.generate_bills(organization=coop, start=day, end=day, by=SYSTEM)
    client.force_login(farmer)

    page = client.get(reverse("dairy:bill_detail", args=[bill.pk])).content.decode()

    assert "17.35 kg × 14,250 VND/kg" in page
    assert "247,238" in page
    assert "-20,000" in page
    assert '<th class="amount" id="bill-net">227,238</th>' in page
    assert "rounded half up to the whole dong" in page
