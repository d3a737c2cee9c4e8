from decimal import Decimal

import pytest

from coopchain.errors import Forbidden
from coopchain.parties import exchange
from coopchain.parties.models import Facility
from coopchain.parties.tests.factories import FacilityFactory
from coopchain.parties.tests.sheets import FACILITY_HEADERS, csv_file, facility_row, xlsx


def run(organization, by, file, filename="co-so.xlsx", dry_run=False):
    return exchange.import_facilities(
        organization=organization, file=file, filename=filename, dry_run=dry_run, by=by
    )


def test_kinds_are_read_by_their_vietnamese_names_or_english_codes(coop, manager):
    rows = [
        FACILITY_HEADERS,
        facility_row("CS01", **{"Loại": "điểm thu gom"}),
        facility_row("CS02", **{"Loại": "Kho"}),
        facility_row("CS03", **{"Loại": "processing_plant"}),
        facility_row("CS04", **{"Loại": "Cơ sở đóng gói", "Mã cơ sở đóng gói": "VN-DLPH-0042"}),
    ]

    report = run(coop, manager, xlsx(rows, title="Cơ sở"))

    assert report.summary() == "Imported: 4 added, 0 updated, 0 unchanged."
    assert dict(Facility.objects.values_list("code", "kind")) == {
        "CS01": "collection_centre",
        "CS02": "warehouse",
        "CS03": "processing_plant",
        "CS04": "packing_house",
    }


def test_coordinates_with_a_decimal_comma_and_a_gln_are_kept(coop, manager):
    rows = [
        FACILITY_HEADERS,
        facility_row("CS01", **{"Vĩ độ": "12,7123456", "Kinh độ": 108.1, "GLN": 8935000000014}),
    ]

    report = run(coop, manager, csv_file(rows, delimiter=";"), "co-so.csv")

    assert report.ok, report.errors
    facility = Facility.objects.get(code="CS01")
    assert (facility.latitude, facility.longitude) == (Decimal("12.712346"), Decimal("108.1"))
    assert facility.gln == "8935000000014"
    assert facility.location_uri == "https://id.gs1.org/414/8935000000014"


def test_bad_rows_are_listed_and_nothing_is_written(coop, manager):
    rows = [
        FACILITY_HEADERS,
        facility_row("CS01"),
        facility_row("CS02", **{"Loại": "Cơ sở đóng gói"}),
        facility_row("CS03", **{"Vĩ độ": "48.85", "Loại": "nhà kho"}),
        facility_row("CS04", **{"GLN": "8935000000017", "Kinh độ": "abc"}),
    ]

    report = run(coop, manager, xlsx(rows))

    assert sorted((e.row, e.field, e.value, e.reason) for e in report.errors) == [
        (3, "Mã cơ sở đóng gói", "", "is required for a packing house"),
        (
            4,
            "Loại",
            "nhà kho",
            "must be one of: Điểm thu gom, Kho, Nhà máy chế biến, Cơ sở đóng gói",
        ),
        (4, "Vĩ độ", "48.85", "is outside Viet Nam (8° to 24° N)"),
        (5, "GLN", "8935000000017", "is not a valid 13-digit GLN"),
        (5, "Kinh độ", "abc", "is not a number of degrees, such as 12.712345"),
    ]
    assert not Facility.objects.exists()


def test_reimport_is_unchanged_and_an_edit_keeps_the_location_identifier(coop, manager):
    rows = [FACILITY_HEADERS, facility_row("CS01"), facility_row("CS02")]
    run(coop, manager, xlsx(rows))
    uuid_before = Facility.objects.get(code="CS02").location_uuid

    assert run(coop, manager, xlsx(rows)).summary() == (
        "Imported: 0 added, 0 updated, 2 unchanged."
    )
    rows[2] = facility_row("CS02", **{"Tên cơ sở": "Kho Ea Tul", "Loại": "Kho"})
    report = run(coop, manager, xlsx(rows))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    facility = Facility.objects.get(code="CS02")
    assert (facility.name, facility.kind) == ("Kho Ea Tul", "warehouse")
    assert facility.location_uuid == uuid_before
    assert Facility.objects.count() == 2


def test_a_dry_run_reports_and_writes_nothing(coop, manager):
    FacilityFactory(organization=coop, code="CS01")
    rows = [FACILITY_HEADERS, facility_row("CS01"), facility_row("CS02")]

    report = run(coop, manager, xlsx(rows), dry_run=True)

    assert (report.created, report.updated, report.written) == (1, 1, False)
    assert list(Facility.objects.values_list("code", flat=True)) == ["CS01"]


def test_a_facility_code_twice_in_the_file_is_refused(coop, manager):
    rows = [FACILITY_HEADERS, facility_row("CS01"), facility_row("CS01")]

    report = run(coop, manager, xlsx(rows))

    assert [(e.row, e.field) for e in report.errors] == [(3, "Mã cơ sở")]


def test_codes_are_per_organization(coop, manager, other_coop, other_manager):
    FacilityFactory(organization=other_coop, code="CS01", name="Kho Ba Vì")

    report = run(coop, manager, xlsx([FACILITY_HEADERS, facility_row("CS01")]))

    assert report.created == 1
    assert Facility.objects.get(organization=other_coop).name == "Kho Ba Vì"


def test_staff_may_import_but_a_farmer_may_not(coop, staff, farmer):
    rows = [FACILITY_HEADERS, facility_row("CS01")]

    assert run(coop, staff, xlsx(rows)).created == 1
    with pytest.raises(Forbidden):
        run(coop, farmer, xlsx(rows))
