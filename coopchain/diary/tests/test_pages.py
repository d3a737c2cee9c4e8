"""The diary's pages as a farmer and the cooperative's staff see them."""

import io
from datetime import timedelta

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape

from coopchain.diary.models import Activity, InputProduct
from coopchain.diary.tests.factories import harvest, make_plot, spray
from coopchain.parties.tests.factories import MemberFactory, UserFactory

DAY = timezone.localdate() - timedelta(days=10)


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["django_language"] = "en"


def table(response, table_id: str) -> str:
    """The text of one table of a page: what a user reads in it, not in the filters."""
    page = response.content.decode()
    start = page.index(f'<table id="{table_id}"')
    return page[start : page.index("</table>", start)]


def entry_post(plot, **fields):
    data = {
        "plot": plot.pk,
        "performed_on": DAY.isoformat(),
        "submission_id": "6f1c7a38-5d59-4c1e-9f4e-2d6c1f0b7a11",
        "unit_1": "LTR",
        "unit_2": "LTR",
        "unit_3": "LTR",
        "harvest_unit": "KGM",
    }
    data.update(fields)
    return data


def test_a_farmer_records_a_spray_on_their_own_plot(client, farmer, member, plot, abamectin):
    client.force_login(farmer)

    form = client.get(reverse("diary:create_entry", args=["spraying"]))
    response = client.post(
        reverse("diary:create_entry", args=["spraying"]),
        entry_post(plot, product_1=abamectin.pk, quantity_1="0.4"),
    )

    entry = Activity.objects.get()
    assert form.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == reverse("diary:entry_detail", args=[entry.pk])
    assert entry.household == member
    assert entry.recorded_by == farmer
    assert entry.lines.get().product == abamectin


def test_the_entry_form_offers_a_farmer_only_their_own_plots(client, farmer, member, plot, coop):
    neighbour = make_plot(MemberFactory(organization=coop), "HANG-XOM", crop="coffee-robusta")
    client.force_login(farmer)

    page = client.get(reverse("diary:create_entry", args=["spraying"])).content.decode()
    refused = client.post(reverse("diary:create_entry", args=["irrigation"]), entry_post(neighbour))

    assert plot.code in page
    assert "HANG-XOM" not in page
    assert refused.status_code == 400
    assert not Activity.objects.exists()


def test_the_harvest_form_shows_the_findings_before_recording(client, staff, plot, abamectin, coop):
    spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    client.force_login(staff)
    url = reverse("diary:create_entry", args=["harvest"])
    data = entry_post(
        plot,
        performed_on=(DAY + timedelta(days=3)).isoformat(),
        crop="coffee-robusta",
        harvest_quantity="800",
    )

    checked = client.post(url, data)

    text = checked.content.decode()
    assert checked.status_code == 200
    assert "Before you record this harvest" in text
    assert escape("within the pre-harvest interval of Abamectin test 1.8 EC") in text
    assert "Record anyway" in text
    assert not Activity.objects.filter(kind="harvest").exists()

    recorded = client.post(url, {**data, "confirm": "1"})

    entry = Activity.objects.get(kind="harvest")
    assert recorded.status_code == 302
    detail = client.get(recorded["Location"]).content.decode()
    assert "not eligible for certified claims" in detail
    assert entry.eligibility.eligible is False


def test_a_harvest_with_no_findings_is_recorded_at_once(client, staff, plot):
    client.force_login(staff)

    response = client.post(
        reverse("diary:create_entry", args=["harvest"]),
        entry_post(plot, crop="coffee-robusta", harvest_quantity="800"),
    )

    assert response.status_code == 302
    assert Activity.objects.get().eligibility.eligible is True


def test_the_plot_diary_shows_entries_findings_and_history_on_request(
    client, staff, coop, plot, paraquat, abamectin
):
    sprayed = spray(organization=coop, plot=plot, product=paraquat, on=DAY, by=staff, quantity="1")
    client.force_login(staff)
    client.post(reverse("diary:withdraw_entry", args=[sprayed.pk]), {"reason": "wrong plot"})
    spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)

    current = client.get(reverse("diary:plot_diary", args=[plot.pk])).content.decode()
    history = client.get(reverse("diary:plot_diary", args=[plot.pk]) + "?history=1")

    assert "Abamectin test 1.8 EC" in current
    assert "Paraquat" not in current
    assert "Paraquat test 20 SL" in history.content.decode()
    assert "withdrawal" in history.content.decode()


def test_the_correction_page_records_a_new_version(client, staff, coop, plot, abamectin):
    original = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    client.force_login(staff)

    response = client.post(
        reverse("diary:correct_entry", args=[original.pk]),
        entry_post(plot, product_1=abamectin.pk, quantity_1="0.2", reason="measured again"),
    )

    correction = Activity.objects.get(corrects=original)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "History" in page
    assert "measured again" in page
    assert str(correction.lines.get().quantity) == "0.200"


def test_no_route_edits_or_deletes_a_diary_entry():
    def names(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.name or ""
            else:
                yield from names(entry.url_patterns, prefix + str(entry.pattern))

    routes = names(get_resolver().url_patterns)
    diary = [(route, name) for route, name in routes if route.startswith("diary/")]
    assert diary
    assert not [r for r, n in diary if any(w in r + n for w in ("edit", "delete", "update"))]
    from coopchain.api import api

    schema = api.get_openapi_schema()["paths"]
    for path, methods in schema.items():
        if "/diary/entries" in path:
            assert not set(methods) & {"put", "patch", "delete"}, path


def test_the_admin_shows_entries_but_neither_changes_nor_deletes_them(
    client, staff, coop, plot, abamectin
):
    entry = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    shown = client.get(reverse("admin:diary_activity_change", args=[entry.pk]))
    deleted = client.post(reverse("admin:diary_activity_delete", args=[entry.pk]), {"post": "yes"})

    assert shown.status_code == 200
    assert deleted.status_code == 403
    assert Activity.objects.filter(pk=entry.pk).exists()


def test_the_findings_page_lists_every_households_findings_with_filters(
    client, manager, coop, plot, paraquat, abamectin
):
    other = make_plot(MemberFactory(organization=coop, head_of_household="Y Moan Êban"), "EA-09")
    spray(organization=coop, plot=plot, product=paraquat, on=DAY, by=manager, quantity="1")
    spray(organization=coop, plot=other, product=abamectin, on=DAY, by=manager, quantity="5")
    client.force_login(manager)

    everything = table(client.get(reverse("diary:findings")), "findings")
    only_doses = table(client.get(reverse("diary:findings") + "?code=over_dose"), "findings")

    assert "Banned product" in everything
    assert "Dose over the maximum" in everything
    assert "Y Moan Êban" in everything
    assert "Banned product" not in only_doses
    assert "Dose over the maximum" in only_doses


def test_a_farmer_sees_only_their_own_findings(client, farmer, coop, plot, paraquat, staff):
    other = make_plot(MemberFactory(organization=coop, head_of_household="Y Moan Êban"), "EA-09")
    spray(organization=coop, plot=other, product=paraquat, on=DAY, by=staff, quantity="1")
    client.force_login(farmer)

    page = table(client.get(reverse("diary:findings")), "findings")

    assert "Y Moan Êban" not in page
    assert "No finding" in page


def test_the_product_pages_list_add_and_import(client, manager, coop):
    client.force_login(manager)

    listed = client.get(reverse("diary:product_list") + "?q=paraquat").content.decode()
    added = client.post(
        reverse("diary:product_create"),
        {"name": "Phân bò ủ", "kind": "fertilizer", "phi_coffee-robusta": ""},
    )
    csv = "Tên sản phẩm,Loại\r\nVôi bột,Thuốc nổ\r\n".encode()
    upload = io.BytesIO(csv)
    upload.name = "vat-tu.csv"
    imported = client.post(reverse("diary:product_import"), {"file": upload})

    assert "Paraquat 20 SL" in listed
    assert "banned" in listed
    assert added.status_code == 302
    assert InputProduct.objects.filter(organization=coop, name="Phân bò ủ").exists()
    assert imported.status_code == 400
    assert "Nothing was imported" in imported.content.decode()
    assert "Thuốc nổ" in imported.content.decode()


def test_a_farmer_cannot_reach_the_product_forms(client, farmer):
    client.force_login(farmer)

    assert client.get(reverse("diary:product_create")).status_code == 403
    assert client.get(reverse("diary:product_import")).status_code == 403


def test_another_cooperative_gets_not_found(client, other_manager, coop, staff, plot, abamectin):
    entry = spray(organization=coop, plot=plot, product=abamectin, on=DAY, by=staff)
    lot_entry = harvest(organization=coop, plot=plot, on=DAY, by=staff)
    client.force_login(other_manager)

    for url in (
        reverse("diary:plot_diary", args=[plot.pk]),
        reverse("diary:entry_detail", args=[entry.pk]),
        reverse("diary:entry_detail", args=[lot_entry.pk]),
        reverse("diary:correct_entry", args=[entry.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("diary:withdraw_entry", args=[entry.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert Activity.objects.count() == 2


def test_the_diary_index_and_kind_buttons_render_for_staff_and_farmers(client, staff, farmer, plot):
    for user in (staff, farmer):
        client.force_login(user)
        assert client.get(reverse("diary:index")).status_code == 200
        buttons = client.get(reverse("diary:choose_kind") + f"?plot={plot.pk}").content.decode()
        assert reverse("diary:create_entry", args=["harvest"]) + f"?plot={plot.pk}" in buttons


def test_the_plot_page_links_to_the_plots_diary(client, manager, plot):
    client.force_login(manager)

    page = client.get(reverse("land:plot_detail", args=[plot.pk])).content.decode()

    assert reverse("diary:plot_diary", args=[plot.pk]) in page
    assert reverse("diary:choose_kind") + f"?plot={plot.pk}" in page
