import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coopchain.parties.models import Facility, Member
from coopchain.parties.tests.sheets import (
    FACILITY_HEADERS,
    MEMBER_HEADERS,
    facility_row,
    member_row,
    read_csv,
    read_xlsx,
    xlsx,
)


def upload(rows, name="thanh-vien.xlsx"):
    return SimpleUploadedFile(name, xlsx(rows).getvalue())


def report_rows(response):
    html = response.content.decode()
    table = re.search(r'<table id="import-report".*?</table>', html, re.S)
    assert table, "no import report on the page"
    cells = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table[0]
    )
    return [tuple(c.strip() for c in row) for row in cells]


@pytest.fixture
def logged_in(client, manager):
    client.force_login(manager)
    return client


BAD = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002", **{"Số điện thoại": "12"})]
GOOD = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]


def test_the_import_page_offers_the_file_the_check_only_box_and_the_templates(logged_in):
    response = logged_in.get(reverse("parties:member_import"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="file" name="file"' in html
    assert 'name="dry_run"' in html
    assert "Check only, do not import" in html
    assert reverse("parties:member_import_template") + "?format=xlsx" in html
    assert reverse("parties:member_import_template") + "?format=csv" in html


def test_a_file_with_one_bad_row_shows_the_report_and_writes_nothing(logged_in):
    response = logged_in.post(reverse("parties:member_import"), {"file": upload(BAD)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was imported: 1 problem in the file." in html
    assert "thanh-vien.xlsx" in html
    assert report_rows(response) == [
        ("3", "Số điện thoại", "12", "is not a phone number (9 to 12 digits)")
    ]
    assert not Member.objects.exists()


def test_after_fixing_the_file_it_imports_and_again_it_is_unchanged(logged_in):
    logged_in.post(reverse("parties:member_import"), {"file": upload(BAD)})

    response = logged_in.post(reverse("parties:member_import"), {"file": upload(GOOD)})

    assert response.status_code == 200
    assert "Imported: 2 added, 0 updated, 0 unchanged." in response.content.decode()
    assert Member.objects.count() == 2
    again = logged_in.post(reverse("parties:member_import"), {"file": upload(GOOD)})
    assert "Imported: 0 added, 0 updated, 2 unchanged." in again.content.decode()
    assert Member.objects.count() == 2


def test_check_only_reports_what_would_happen_and_writes_nothing(logged_in):
    response = logged_in.post(
        reverse("parties:member_import"), {"file": upload(GOOD), "dry_run": "1"}
    )

    assert response.status_code == 200
    assert (
        "Checked: nothing was written. 2 would be added, 0 would be updated, 0 unchanged."
        in response.content.decode()
    )
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 JFIF"),
            "Choose an Excel (.xlsx) or CSV file; anh.jpg is neither.",
        ),
        (SimpleUploadedFile("trong.csv", b""), "The file is empty."),
    ],
)
def test_a_wrong_or_empty_file_gets_a_clear_message(logged_in, file, message):
    response = logged_in.post(reverse("parties:member_import"), {"file": file})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert file.name in html


def test_sending_no_file_asks_for_one(logged_in):
    response = logged_in.post(reverse("parties:member_import"), {})

    assert response.status_code == 400
    assert "Choose an Excel (.xlsx) or CSV file to import." in response.content.decode()


def test_facilities_are_imported_from_their_page(logged_in, coop):
    rows = [FACILITY_HEADERS, facility_row("CS01"), facility_row("CS02", **{"Loại": "Kho"})]

    response = logged_in.post(
        reverse("parties:facility_import"), {"file": upload(rows, "co-so.xlsx")}
    )

    assert response.status_code == 200
    assert "Imported: 2 added, 0 updated, 0 unchanged." in response.content.decode()
    assert Facility.objects.filter(organization=coop).count() == 2


def test_a_farmer_cannot_open_the_import_page(client, farmer):
    client.force_login(farmer)

    assert client.get(reverse("parties:member_import")).status_code == 403
    assert client.post(reverse("parties:member_import"), {"file": upload(GOOD)}).status_code == 403
    assert Member.objects.filter(code="TV002").count() == 0


def test_the_export_downloads_the_list_under_a_telling_name(logged_in, coop, member):
    coop.short_name = "HTX Ea Tul"
    coop.save()

    response = logged_in.get(reverse("parties:member_export") + "?format=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.search(
        r'attachment; filename="thanh-vien-htx-ea-tul-\d{4}-\d{2}-\d{2}\.xlsx"',
        response["Content-Disposition"],
    )
    assert [r[0] for r in read_xlsx(response.content)] == ["Mã thành viên", member.code]


def test_the_facility_export_as_csv(logged_in, coop):
    Facility.objects.create(organization=coop, code="CS09", name="Kho Ea Tul", kind="warehouse")

    response = logged_in.get(reverse("parties:facility_export") + "?format=csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_csv(response.content)[1][:3] == ["CS09", "Kho Ea Tul", "Kho"]


def test_another_cooperatives_user_gets_not_found_on_the_export(
    client, coop, member, other_manager
):
    client.force_login(other_manager)

    response = client.get(reverse("parties:member_export") + f"?format=xlsx&organization={coop.pk}")

    assert response.status_code == 404
    assert member.head_of_household.encode() not in response.content


def test_an_unknown_export_format_is_a_clear_refusal(logged_in):
    response = logged_in.get(reverse("parties:member_export") + "?format=pdf")

    assert response.status_code == 400
    assert "Choose the format xlsx or csv." in response.content.decode()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_download(logged_in, fmt):
    response = logged_in.get(reverse("parties:member_import_template") + f"?format={fmt}")

    assert response.status_code == 200
    assert f'filename="mau-thanh-vien.{fmt}"' in response["Content-Disposition"]
    rows = read_xlsx(response.content) if fmt == "xlsx" else read_csv(response.content)
    assert rows[0] == MEMBER_HEADERS
    facility = logged_in.get(reverse("parties:facility_import_template") + f"?format={fmt}")
    assert f'filename="mau-co-so.{fmt}"' in facility["Content-Disposition"]


def test_the_lists_offer_import_and_export(logged_in):
    members = logged_in.get(reverse("parties:member_list")).content.decode()
    facilities = logged_in.get(reverse("parties:facility_list")).content.decode()

    assert reverse("parties:member_import") in members
    assert reverse("parties:member_export") + "?format=xlsx" in members
    assert reverse("parties:member_export") + "?format=csv" in members
    assert reverse("parties:facility_import") in facilities
    assert reverse("parties:facility_export") + "?format=xlsx" in facilities
