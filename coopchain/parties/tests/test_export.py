import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from coopchain.errors import InvalidInput, NotFound
from coopchain.parties import exchange, services
from coopchain.parties.models import Facility, Member
from coopchain.parties.tests.factories import FacilityFactory, MemberFactory
from coopchain.parties.tests.sheets import FACILITY_HEADERS, MEMBER_HEADERS, read_csv, read_xlsx


@pytest.fixture
def households(coop, manager):
    MemberFactory(
        organization=coop,
        code="TV002",
        head_of_household="H'Hoa Byă",
        gender=Member.Gender.FEMALE,
        birth_year=1980,
        ethnicity="Ê Đê",
        national_id="066080000123",
        household_size=4,
        public_consent=True,
        joined_on=date(2019, 3, 1),
    )
    left = MemberFactory(organization=coop, code="TV001", gender="", ward=None, national_id="")
    services.record_member_leaving(
        member=left, left_on=date(2023, 5, 1), reason="moved", by=manager
    )
    MemberFactory(organization=coop, code="TV003", phone="")
    return coop


def test_members_export_to_excel_with_the_template_headers(households, manager):
    content = exchange.export_members(user=manager, organization=households, fmt="xlsx")

    rows = read_xlsx(content)
    assert rows[0] == MEMBER_HEADERS
    assert [r[0] for r in rows[1:]] == ["TV001", "TV002", "TV003"]
    hoa = rows[2]
    assert hoa[1:6] == ["H'Hoa Byă", "Nữ", 1980, "Ê Đê", hoa[5]]
    assert hoa[8] == "066080000123"
    assert hoa[10].date() == date(2019, 3, 1)
    assert hoa[11] == "Có"


def test_members_export_to_csv_with_dates_as_people_write_them(households, manager):
    content = exchange.export_members(user=manager, organization=households, fmt="csv")

    assert content.startswith("\ufeff".encode())
    rows = read_csv(content)
    assert rows[0] == MEMBER_HEADERS
    assert rows[2][10] == "01/03/2019"
    assert rows[2][8] == "066080000123"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_member_list_imports_back_unchanged(households, manager, fmt):
    content = exchange.export_members(user=manager, organization=households, fmt=fmt)
    before = list(Member.objects.values().order_by("code"))

    report = exchange.import_members(
        organization=households,
        file=io.BytesIO(content),
        filename=f"export.{fmt}",
        dry_run=False,
        by=manager,
    )

    assert report.summary() == "Imported: 0 added, 0 updated, 3 unchanged."
    assert report.warnings == []
    assert list(Member.objects.values().order_by("code")) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_facility_list_imports_back_unchanged(coop, manager, fmt):
    FacilityFactory(organization=coop, code="CS01", latitude="12.712345", longitude="108.1")
    FacilityFactory(
        organization=coop,
        code="CS02",
        kind=Facility.Kind.PACKING_HOUSE,
        packing_house_code="VN-DLPH-0042",
        gln="8935000000014",
    )
    content = exchange.export_facilities(user=manager, organization=coop, fmt=fmt)

    report = exchange.import_facilities(
        organization=coop, file=io.BytesIO(content), filename=f"x.{fmt}", dry_run=False, by=manager
    )

    assert report.summary() == "Imported: 0 added, 0 updated, 2 unchanged."
    rows = read_csv(content) if fmt == "csv" else read_xlsx(content)
    assert rows[0] == FACILITY_HEADERS
    assert rows[2][2] == "Cơ sở đóng gói"


def test_an_exported_list_fills_an_empty_cooperative_with_the_same_households(
    households, manager, other_coop, other_manager
):
    content = exchange.export_members(user=manager, organization=households, fmt="xlsx")

    report = exchange.import_members(
        organization=other_coop,
        file=io.BytesIO(content),
        filename="x.xlsx",
        dry_run=False,
        by=other_manager,
    )

    assert report.created == 3
    copied = Member.objects.get(organization=other_coop, code="TV002")
    assert (copied.head_of_household, copied.national_id, copied.public_consent) == (
        "H'Hoa Byă",
        "066080000123",
        True,
    )


def test_a_farmer_exports_only_their_own_household(households, farmer, member):
    rows = read_xlsx(exchange.export_members(user=farmer, organization=households, fmt="xlsx"))

    assert [r[0] for r in rows[1:]] == [member.code]
    assert rows[1][8] == member.national_id


def test_another_cooperatives_manager_cannot_export_this_one(households, other_manager):
    with pytest.raises(NotFound):
        exchange.export_members(user=other_manager, organization=households, fmt="xlsx")
    with pytest.raises(NotFound):
        exchange.export_facilities(user=other_manager, organization=households, fmt="csv")


def test_an_officer_of_the_province_cannot_export_a_cooperatives_members(households, officer):
    with pytest.raises(NotFound):
        exchange.export_members(user=officer, organization=households, fmt="xlsx")


def test_an_unknown_format_is_refused(households, manager):
    with pytest.raises(InvalidInput):
        exchange.export_members(user=manager, organization=households, fmt="pdf")


def test_the_file_name_says_what_whose_and_when(coop):
    coop.short_name = "HTX Đắk Mil"
    today = timezone.localdate().isoformat()

    assert (
        exchange.export_filename("members", coop, "xlsx") == f"thanh-vien-htx-dak-mil-{today}.xlsx"
    )
    coop.short_name = ""
    assert exchange.export_filename("facilities", coop, "csv") == f"co-so-{coop.pk}-{today}.csv"


@pytest.mark.parametrize(
    ("kind", "headers"), [("members", MEMBER_HEADERS), ("facilities", FACILITY_HEADERS)]
)
def test_the_template_has_headers_an_example_and_a_guide(kind, headers):
    workbook = load_workbook(io.BytesIO(exchange.template_workbook(kind)))

    assert workbook.sheetnames[1] == "Hướng dẫn"
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    assert rows[0] == headers
    assert len(rows) == 2
    guide = [r[0] for r in workbook["Hướng dẫn"].iter_rows(values_only=True)]
    assert all(header in guide for header in headers)
    assert read_csv(exchange.template_csv(kind))[0] == headers


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_templates_example_row_imports(coop, manager, fmt):
    for kind, importer in (
        ("members", exchange.import_members),
        ("facilities", exchange.import_facilities),
    ):
        report = importer(
            organization=coop,
            file=io.BytesIO(exchange.template_file(kind, fmt)),
            filename=f"mau.{fmt}",
            dry_run=True,
            by=manager,
        )
        assert (report.ok, report.created) == (True, 1), report.errors
