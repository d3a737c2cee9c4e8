import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coopchain.accounts.services import issue_api_token
from coopchain.parties.models import Facility, Member
from coopchain.parties.tests.sheets import (
    FACILITY_HEADERS,
    MEMBER_HEADERS,
    csv_file,
    facility_row,
    member_row,
    read_csv,
    read_xlsx,
    xlsx,
)


def bearer(user):
    _token, secret = issue_api_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def upload(rows, name="thanh-vien.xlsx"):
    return {"file": SimpleUploadedFile(name, xlsx(rows).getvalue())}


def test_a_good_file_is_imported_and_the_report_returned(client, coop, manager):
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]

    response = client.post(
        f"/api/v1/organizations/{coop.pk}/members/import", upload(rows), **bearer(manager)
    )

    assert response.status_code == 200
    body = response.json()
    assert body["detail"] == "Imported: 2 added, 0 updated, 0 unchanged."
    assert (body["created"], body["written"], body["errors"]) == (2, True, [])
    assert Member.objects.count() == 2


def test_a_refused_file_answers_problem_details_with_every_row(client, coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Giới tính": "?"}),
        member_row("TV002", **{"Mã xã/phường": "99999"}),
    ]

    response = client.post(
        f"/api/v1/organizations/{coop.pk}/members/import", upload(rows), **bearer(manager)
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "Nothing was imported: 2 problems in the file."
    assert problem["errors"] == [
        {"row": 2, "field": "Giới tính", "value": "?", "reason": "must be Nam, Nữ or Khác"},
        {
            "row": 3,
            "field": "Mã xã/phường",
            "value": "99999",
            "reason": "is not a commune/ward code",
        },
    ]
    assert not Member.objects.exists()


def test_a_dry_run_through_the_api_writes_nothing(client, coop, manager):
    rows = [FACILITY_HEADERS, facility_row("CS01")]

    response = client.post(
        f"/api/v1/organizations/{coop.pk}/facilities/import?dry_run=true",
        {"file": SimpleUploadedFile("co-so.csv", csv_file(rows).getvalue())},
        **bearer(manager),
    )

    assert response.status_code == 200
    assert (response.json()["created"], response.json()["written"]) == (1, False)
    assert not Facility.objects.exists()


def test_another_cooperatives_manager_gets_not_found(client, coop, other_manager):
    rows = [MEMBER_HEADERS, member_row("TV001")]

    imported = client.post(
        f"/api/v1/organizations/{coop.pk}/members/import", upload(rows), **bearer(other_manager)
    )
    exported = client.get(
        f"/api/v1/organizations/{coop.pk}/members/export?format=csv", **bearer(other_manager)
    )

    assert (imported.status_code, exported.status_code) == (404, 404)
    assert not Member.objects.exists()


def test_a_farmer_may_not_import(client, coop, farmer):
    response = client.post(
        f"/api/v1/organizations/{coop.pk}/members/import",
        upload([MEMBER_HEADERS, member_row("TV009")]),
        **bearer(farmer),
    )

    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_members_export_downloads_the_list(client, coop, manager, member, fmt):
    response = client.get(
        f"/api/v1/organizations/{coop.pk}/members/export?format={fmt}", **bearer(manager)
    )

    assert response.status_code == 200
    assert f'.{fmt}"' in response["Content-Disposition"]
    rows = read_xlsx(response.content) if fmt == "xlsx" else read_csv(response.content)
    assert [r[0] for r in rows] == ["Mã thành viên", member.code]
    assert rows[1][8] == member.national_id


def test_an_unknown_export_format_is_a_problem(client, coop, manager):
    response = client.get(
        f"/api/v1/organizations/{coop.pk}/members/export?format=ods", **bearer(manager)
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "format", "reason": "must be xlsx or csv", "value": "ods"}
    ]
