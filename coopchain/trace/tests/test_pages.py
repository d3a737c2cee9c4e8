import csv
import io
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coopchain.parties.tests.factories import PASSWORD
from coopchain.trace.identifiers import platform_code_of, public_uri
from coopchain.trace.models import Lot, Product
from coopchain.trace.tests import factories as f


def public_path(lot: Lot) -> str:
    """The path of the URI in the lot's QR code (on this test server)."""
    return urlsplit(public_uri(lot)).path


@pytest.fixture
def as_manager(client, manager):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages asserted are the English ones
    client.login(username=manager.username, password=PASSWORD)
    return client


def test_a_product_with_a_wrong_gtin_check_digit_is_refused_with_the_expected_digit(
    as_manager, coop
):
    response = as_manager.post(
        reverse("trace:product_create"),
        {"name": "Cà phê nhân", "gtin": "8934567890121", "unit": "KGM"},
    )

    assert response.status_code == 200
    assert "expected 0" in response.content.decode()
    assert not Product.objects.exists()


def test_a_product_is_saved_with_its_gtin_as_fourteen_digits(as_manager, coop):
    response = as_manager.post(
        reverse("trace:product_create"),
        {"name": "Cà phê nhân", "gtin": "8934567890120", "hs_code": "0901.11", "unit": "KGM"},
    )

    assert response.status_code == 302
    product = Product.objects.get()
    assert (product.gtin, product.hs_code, product.organization) == (
        "08934567890120",
        "090111",
        coop,
    )
    assert "Cà phê nhân" in as_manager.get(reverse("trace:product_list")).content.decode()


def test_the_lot_list_shows_the_cooperatives_lots(as_manager, chain):
    page = as_manager.get(reverse("trace:lot_list")).content.decode()

    assert chain.green.lot_number in page
    assert chain.harvests[0].lot_number in page


def test_the_lot_page_shows_its_origin_destinations_and_qr_code(as_manager, chain):
    page = as_manager.get(reverse("trace:lot_detail", args=[chain.green.pk])).content.decode()

    assert "<svg" in page
    assert "400 KGM" in page  # made by the hulling step
    assert chain.members[0].head_of_household in page
    assert chain.roaster.name in page
    assert "No finding" in page


def test_another_cooperative_gets_not_found_for_the_lot(client, other_manager, chain):
    client.login(username=other_manager.username, password=PASSWORD)

    assert client.get(reverse("trace:lot_detail", args=[chain.green.pk])).status_code == 404


def test_an_unpublished_lot_has_no_public_page(client, chain):
    assert client.get(public_path(chain.green)).status_code == 404
    assert client.get(f"/l/{platform_code_of(chain.container.epc)}").status_code == 404
    assert client.get("/l/ZZZZZZZZZZ").status_code == 404


def test_the_public_page_shows_origin_and_steps_without_names_of_households(client, chain):
    Lot.objects.filter(pk=chain.green.pk).update(published=True)

    response = client.get(public_path(chain.green))

    page = response.content.decode()
    assert response.status_code == 200
    assert chain.coop.name in page
    assert chain.coop.ward.name in page
    assert chain.coop.province.name in page
    assert "2025" in page  # the harvest period
    assert chain.members[0].head_of_household not in page
    assert chain.members[0].phone not in page
    assert "<script" not in page


def test_a_household_that_agreed_is_named_on_the_public_page(client, chain):
    member = chain.members[0]
    member.public_consent = True
    member.save()
    Lot.objects.filter(pk=chain.green.pk).update(published=True)

    page = client.get(public_path(chain.green)).content.decode()

    assert member.head_of_household in page


def test_machines_get_a_linkset_with_gs1_link_types_and_the_trace(client, chain):
    Lot.objects.filter(pk=chain.green.pk).update(published=True)
    uri = public_uri(chain.green)

    response = client.get(public_path(chain.green), HTTP_ACCEPT="application/linkset+json")

    assert response["Content-Type"] == "application/linkset+json"
    body = response.json()
    [links] = body["linkset"]
    assert links["anchor"] == uri
    assert links["https://gs1.org/voc/pip"][0]["href"] == uri
    assert "https://gs1.org/voc/traceability" in links
    assert body["trace"]["cooperatives"] == [chain.coop.name]
    assert client.get(f"{uri}?linkType=gs1:traceability").json()["recalled"] is False


def test_a_gs1_digital_link_resolves_to_its_published_lot(client, coop, member):
    lot = f.new_lot(coop, epc="https://id.gs1.org/01/08934567890120/10/L2025-07", published=True)

    html = client.get("/01/8934567890120/10/L2025-07")
    data = client.get("/01/08934567890120/10/L2025-07", HTTP_ACCEPT="application/json")

    assert html.status_code == 200
    assert "L2025-07" in html.content.decode()
    assert data.json()["linkset"][0]["anchor"].endswith("/01/08934567890120/10/L2025-07")
    assert client.get("/01/08934567890121/10/L2025-07").status_code == 404  # bad check digit
    assert public_uri(lot).startswith("http://127.0.0.1:8000/01/")


def test_qr_codes_come_as_svg_and_png(as_manager, client, chain):
    svg = as_manager.get(reverse("trace:lot_qr", args=[chain.green.pk, "svg"]))
    png = as_manager.get(reverse("trace:lot_qr", args=[chain.green.pk, "png"]))
    Lot.objects.filter(pk=chain.green.pk).update(published=True)
    container = chain.container  # a platform identifier: its QR code is served at /l/…/qr.png
    Lot.objects.filter(pk=container.pk).update(published=True)
    public = client.get(f"/l/{platform_code_of(container.epc)}/qr.png")

    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    assert png.content.startswith(b"\x89PNG")
    assert public.content.startswith(b"\x89PNG")


def test_a_label_sheet_holds_the_selected_lots(as_manager, chain):
    response = as_manager.get(
        reverse("trace:label_sheet"), {"lots": [chain.green.pk, chain.harvests[0].pk]}
    )

    page = response.content.decode()
    assert page.count('class="label"') == 2
    assert chain.green.lot_number in page
    assert "labels.css" in page


def test_a_recall_marks_every_lot_made_from_the_harvest_and_lists_the_customers(
    as_manager, client, chain
):
    Lot.objects.filter(pk=chain.export_lot.pk).update(published=True)

    response = as_manager.post(
        reverse("trace:lot_recall", args=[chain.harvests[0].pk]),
        {"reason": "Ochratoxin A above limit"},
    )

    assert response.status_code == 302
    recalled = set(Lot.objects.filter(status=Lot.Status.RECALLED))
    assert recalled == {chain.harvests[0], chain.green, chain.export_lot, chain.container}
    detail = as_manager.get(response["Location"]).content.decode()
    assert chain.exporter.name in detail
    assert chain.roaster.name in detail
    public = client.get(public_path(chain.export_lot)).content.decode()
    assert "recall-notice" in public


def test_the_recall_export_is_a_sortable_spreadsheet_of_the_records(as_manager, chain):
    as_manager.post(reverse("trace:lot_recall", args=[chain.harvests[0].pk]), {"reason": "Mould"})
    recall = chain.harvests[0].recalls_started.get()

    csv_text = as_manager.get(reverse("trace:recall_export", args=[recall.pk, "csv"])).content
    xlsx = as_manager.get(reverse("trace:recall_export", args=[recall.pk, "xlsx"])).content

    rows = list(csv.DictReader(io.StringIO(csv_text.decode())))
    shipped = [r for r in rows if r["Record"] == "Shipment"]
    assert {r["To (organization)"] for r in shipped} == {chain.exporter.name, chain.roaster.name}
    assert chain.green.epc in {r["Traceability lot code"] for r in rows}
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["A1"].value == "Record"
    assert sheet.auto_filter.ref
    assert sheet.max_row == len(rows) + 1


def test_a_recall_needs_a_reason(as_manager, chain):
    response = as_manager.post(reverse("trace:lot_recall", args=[chain.green.pk]), {"reason": " "})

    assert response.status_code == 200
    assert not Lot.objects.filter(status=Lot.Status.RECALLED).exists()


def test_a_volume_finding_is_shown_on_the_lot_and_in_the_findings_list(as_manager, coop, member):
    cherry = f.ProductFactory(organization=coop, commodity="coffee_cherry")
    green = f.ProductFactory(organization=coop, name="Nhân xô", commodity="green_coffee")
    harvest = f.harvest(member, product=cherry, quantity=1000)
    lot = f.process(coop, [harvest], product=green, quantity=400)

    detail = as_manager.get(reverse("trace:lot_detail", args=[lot.pk])).content.decode()
    listing = as_manager.get(reverse("trace:finding_list")).content.decode()

    assert "400 KGM of Nhân xô" in detail
    assert "400 KGM of Nhân xô" in listing
