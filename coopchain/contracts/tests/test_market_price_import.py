"""Market prices from a CSV or Excel file: all or nothing with a report naming row, column and
reason, a dry run, and the same file imported twice stored once; and the contract page shows
how a price term resolves on a day."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from coopchain.contracts.market_prices import import_market_prices, resolve
from coopchain.contracts.models import MarketPrice
from coopchain.contracts.tests.factories import COFFEE, make_contract, market_price
from coopchain.errors import Forbidden
from coopchain.parties.tenancy import SYSTEM

GOOD = (
    "Mặt hàng;Tỉnh;Ngày;Giá (VND/kg);Nguồn\n"
    f"{COFFEE};66;06/10/2025;112.500;Sở Công Thương Đắk Lắk\n"
    f"{COFFEE};Đắk Lắk;13/10/2025;113800;Sở Công Thương Đắk Lắk\n"
)


def upload(text: str, name: str = "gia.csv", dry_run: bool = False, by=SYSTEM):
    return import_market_prices(
        file=io.BytesIO(text.encode()), filename=name, dry_run=dry_run, by=by
    )


def test_a_csv_of_prices_is_imported_with_vietnamese_headers_and_thousands_marks(db):
    report = upload(GOOD)

    assert report.ok
    assert (report.rows, report.created) == (2, 2)
    prices = list(MarketPrice.objects.order_by("on").values_list("province__code", "price"))
    assert prices == [("66", 112_500), ("66", 113_800)]


def test_the_same_file_imported_again_changes_nothing(db):
    upload(GOOD)

    again = upload(GOOD)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert MarketPrice.objects.count() == 2


def test_a_corrected_price_updates_its_day(db):
    upload(GOOD)

    report = upload(GOOD.replace("113800", "114000"))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert MarketPrice.objects.get(on=date(2025, 10, 13)).price == 114_000


def test_a_dry_run_reports_and_writes_nothing(db):
    report = upload(GOOD, dry_run=True)

    assert report.created == 2
    assert "Checked: nothing was written" in report.summary()
    assert not MarketPrice.objects.exists()


def test_a_file_with_bad_rows_writes_nothing_and_names_each_problem(db):
    text = (
        GOOD
        + f"{COFFEE};Atlantis;20/10/2025;115000;x\n"
        + f"{COFFEE};66;32/10/2025;115000;x\n"
        + f"{COFFEE};66;27/10/2025;-5;x\n"
        + f"{COFFEE};66;06/10/2025;112500;x\n"
    )

    report = upload(text)

    assert not MarketPrice.objects.exists()
    assert [(e.row, e.field) for e in report.errors] == [
        (4, "province"),
        (5, "on"),
        (6, "price"),
        (7, "on"),
    ]
    assert "repeats row 2" in report.errors[-1].reason
    assert report.summary() == "Nothing was imported: 4 problems in the file."


def test_a_file_missing_a_column_is_refused(db):
    report = upload("Mặt hàng,Tỉnh,Ngày,Nguồn\nCà phê,66,06/10/2025,x\n")

    assert [e.field for e in report.errors] == ["price"]


def test_an_excel_file_is_imported(db):
    book = Workbook()
    sheet = book.active
    sheet.append(["Commodity", "Province", "Date", "Price", "Source"])
    sheet.append([COFFEE, 66, date(2025, 10, 6), 112500, "Bản tin giá"])
    buffer = io.BytesIO()
    book.save(buffer)

    report = import_market_prices(
        file=io.BytesIO(buffer.getvalue()), filename="gia.xlsx", dry_run=False, by=SYSTEM
    )

    assert report.ok, report.errors
    assert MarketPrice.objects.get().price == 112_500


def test_a_farmer_cannot_import_market_prices(farmer):
    with pytest.raises(Forbidden):
        upload(GOOD, by=farmer)


def test_the_import_page_shows_the_report_row_by_row(client, manager):
    client.force_login(manager)
    bad = GOOD + f"{COFFEE};Atlantis;20/10/2025;115000;x\n"

    page = client.post(
        reverse("contracts:market_price_import"),
        {"file": SimpleUploadedFile("gia.csv", bad.encode(), content_type="text/csv")},
    )

    assert page.status_code == 400
    text = page.content.decode()
    assert "Nothing was imported: 1 problem in the file." in text
    assert "is not a province&#x27;s code or name" in text
    assert not MarketPrice.objects.exists()


def test_a_term_resolves_step_by_step_to_the_floor(exporter, coop):
    contract = make_contract(exporter, coop, floor_price=100_000)
    market_price(date(2026, 2, 2), 92_600)

    seen = resolve(contract, date(2026, 2, 5))

    assert seen.per_kg == 100_000
    assert seen.steps == [
        "Market price 92,600 VND/kg on 02/02/2026 (Giá cà phê Đắk Lắk (Sở Công Thương))",
        "+6.00 % = 98,156 VND/kg",
        "floor 100,000 VND/kg applies → 100,000 VND/kg",
    ]


def test_the_contract_page_shows_how_the_price_resolves_on_a_chosen_day(
    client, exporter, coop, manager
):
    contract = make_contract(exporter, coop)
    market_price(date(2025, 11, 10), 110_000)
    client.force_login(manager)

    page = client.get(reverse("contracts:detail", args=[contract.pk]), {"on": "2025-11-12"})

    text = page.content.decode()
    assert "Market price 110,000 VND/kg on 10/11/2025" in text
    assert "+6.00 % = 116,600 VND/kg" in text
