from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopchain.errors import Forbidden, NotFound
from coopchain.parties import exchange
from coopchain.parties.models import Member, Membership, Role
from coopchain.parties.tests.factories import (
    CooperativeFactory,
    EnterpriseFactory,
    MemberFactory,
    UserFactory,
    grant,
)
from coopchain.parties.tests.sheets import MEMBER_HEADERS, csv_file, member_row, xlsx


def run(organization, by, file, filename="thanh-vien.xlsx", dry_run=False, **kwargs):
    return exchange.import_members(
        organization=organization,
        file=file,
        filename=filename,
        dry_run=dry_run,
        by=by,
        **kwargs,
    )


def problems(report):
    return [(e.row, e.field, e.value, e.reason) for e in report.errors]


def test_a_list_adds_households_with_their_memberships(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Ngày vào HTX": date(2021, 3, 5)}),
        member_row(
            "TV002",
            **{
                "Họ tên chủ hộ": "  H'Hoa   Byă ",
                "Giới tính": "nữ",
                "Đồng ý công khai": "Có",
                "Số điện thoại": "0905 123 002",
                "Ngày vào HTX": "2019-12-01",
            },
        ),
    ]

    report = run(coop, manager, xlsx(rows))

    assert report.summary() == "Imported: 2 added, 0 updated, 0 unchanged."
    hoa = Member.objects.get(organization=coop, code="TV002")
    assert (hoa.head_of_household, hoa.gender, hoa.public_consent, hoa.phone) == (
        "H'Hoa Byă",
        "female",
        True,
        "0905123002",
    )
    assert hoa.ward_id == "24277"
    assert hoa.national_id == "066078000002"
    assert hoa.household_size == 5
    assert hoa.birth_year == 1978
    joined = dict(Membership.objects.values_list("member__code", "joined_on"))
    assert joined == {"TV001": date(2021, 3, 5), "TV002": date(2019, 12, 1)}


def test_a_csv_saved_by_excel_with_bom_and_semicolons_reads_the_same(coop, manager):
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]

    report = run(coop, manager, csv_file(rows, delimiter=";", bom=True), "ds.csv")

    assert report.ok, problems(report)
    assert report.created == 2
    assert Member.objects.get(code="TV001").head_of_household == "Y Bhim Niê"


def test_english_headers_and_headers_typed_loosely_are_understood(coop, manager):
    headers = [
        "CODE",
        "ho ten chu ho",
        "Gender",
        "birth_year",
        "  Phone ",
        "Mã Xã / Phường",
        "joined on",
    ]
    rows = [headers, ["TV001", "Y Bhim Niê", "male", 1978, "0905123001", "24277", "01/02/2020"]]

    report = run(coop, manager, xlsx(rows))

    assert report.ok, problems(report)
    member = Member.objects.get(code="TV001")
    assert (member.gender, member.ward_id, member.birth_year) == ("male", "24277", 1978)


def test_one_bad_row_imports_nothing_and_names_row_column_value_and_reason(coop, manager):
    headers = [h.upper() if h == "Số điện thoại" else h for h in MEMBER_HEADERS]
    rows = [
        headers,
        member_row("TV001"),
        member_row("TV002", **{"Số điện thoại": "12", "Ngày vào HTX": "31/02/2020"}),
        member_row("TV003"),
    ]

    report = run(coop, manager, xlsx(rows))

    assert not report.ok
    assert report.summary() == "Nothing was imported: 2 problems in the file."
    assert sorted(problems(report)) == [
        (3, "Ngày vào HTX", "31/02/2020", "is not a date (dd/mm/yyyy)"),
        (3, "SỐ ĐIỆN THOẠI", "12", "is not a phone number (9 to 12 digits)"),
    ]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not Member.objects.exists()


def test_every_problem_of_every_row_is_listed(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Họ tên chủ hộ": "", "Giới tính": "ông"}),
        member_row("TV002", **{"Số CCCD": "123", "Năm sinh": "1850"}),
        member_row("TV003", **{"Mã xã/phường": "99999", "Số nhân khẩu": "năm"}),
        member_row("TV004", **{"Ngày vào HTX": "", "Đồng ý công khai": "có lẽ"}),
    ]

    report = run(coop, manager, xlsx(rows))

    assert sorted((e.row, e.field) for e in report.errors) == [
        (2, "Giới tính"),
        (2, "Họ tên chủ hộ"),
        (3, "Năm sinh"),
        (3, "Số CCCD"),
        (4, "Mã xã/phường"),
        (4, "Số nhân khẩu"),
        (5, "Ngày vào HTX"),
        (5, "Đồng ý công khai"),
    ]
    national_id = next(e for e in report.errors if e.field == "Số CCCD")
    assert national_id.value == "…"
    assert not Member.objects.exists()


def test_unknown_and_missing_columns_are_reported_on_the_header_row(coop, manager):
    rows = [["Mã thành viên", "Tên", "Ngày vào HTX"], ["TV001", "Y Bhim", "01/01/2020"]]

    report = run(coop, manager, xlsx(rows))

    assert [(e.row, e.field) for e in report.errors] == [(1, "Tên"), (1, "Họ tên chủ hộ")]
    assert "is not a column of this list" in report.errors[0].reason
    assert report.errors[1].reason == "this column is missing"


def test_a_member_code_twice_in_the_file_is_refused(coop, manager):
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002"), member_row("TV001")]

    report = run(coop, manager, xlsx(rows))

    assert problems(report) == [
        (4, "Mã thành viên", "TV001", "is used again: row 2 has the same code")
    ]
    assert not Member.objects.exists()


def test_a_phone_number_twice_in_the_file_is_a_warning_not_a_refusal(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Số điện thoại": "0905 111 222"}),
        member_row("TV002", **{"Số điện thoại": "0905111222"}),
    ]

    report = run(coop, manager, xlsx(rows))

    assert report.ok
    assert report.created == 2
    assert [(w.row, w.field, w.value) for w in report.warnings] == [
        (3, "Số điện thoại", "0905111222")
    ]
    assert "same phone number as row 2" in report.warnings[0].reason


def test_a_file_over_the_row_limit_is_refused_and_says_so(coop, manager):
    rows = [MEMBER_HEADERS] + [member_row(f"TV{n:05d}") for n in range(exchange.MAX_ROWS + 1)]

    report = run(coop, manager, csv_file(rows), "big.csv")

    assert [e.field for e in report.errors] == ["file"]
    assert "more than 20,000 rows" in report.errors[0].reason
    assert not Member.objects.exists()


def test_a_dry_run_counts_what_would_change_and_writes_nothing(coop, manager):
    MemberFactory(organization=coop, code="TV001", head_of_household="Y Bhim Niê")
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002"), member_row("TV003")]

    report = run(coop, manager, xlsx(rows), dry_run=True)

    assert report.summary() == (
        "Checked: nothing was written. 2 would be added, 1 would be updated, 0 unchanged."
    )
    assert list(Member.objects.values_list("code", flat=True)) == ["TV001"]


def test_importing_the_same_file_again_changes_nothing(coop, manager):
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]
    run(coop, manager, xlsx(rows))
    before = list(Member.objects.values().order_by("code"))

    again = run(coop, manager, xlsx(rows))

    assert again.summary() == "Imported: 0 added, 0 updated, 2 unchanged."
    after = list(Member.objects.values().order_by("code"))
    assert after == before
    assert Membership.objects.count() == 2


def test_a_changed_row_updates_the_household_but_not_its_membership_dates(coop, manager):
    run(coop, manager, xlsx([MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]))
    changed = member_row("TV002", **{"Số điện thoại": "0987654321", "Ngày vào HTX": "01/06/2023"})

    report = run(coop, manager, xlsx([MEMBER_HEADERS, member_row("TV001"), changed]))

    assert report.summary() == "Imported: 0 added, 1 updated, 1 unchanged."
    member = Member.objects.get(code="TV002")
    assert member.phone == "0987654321"
    assert [m.joined_on for m in member.memberships.all()] == [date(2020, 1, 15)]
    assert [(w.row, w.field) for w in report.warnings] == [(3, "Ngày vào HTX")]


def test_columns_left_out_of_the_file_keep_what_is_recorded(coop, manager):
    member = MemberFactory(organization=coop, code="TV001", ethnicity="Ê Đê", household_size=6)
    rows = [
        ["Mã thành viên", "Họ tên chủ hộ", "Ngày vào HTX", "Số điện thoại"],
        ["TV001", member.head_of_household, "", "0911000111"],
    ]

    report = run(coop, manager, xlsx(rows))

    assert report.updated == 1
    member.refresh_from_db()
    assert (member.phone, member.ethnicity, member.household_size) == ("0911000111", "Ê Đê", 6)
    assert member.national_id != ""


def test_a_commune_is_found_by_its_name_within_the_cooperatives_province(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Mã xã/phường": "Xã Ea Tul"}),
        member_row("TV002", **{"Mã xã/phường": "ea tul"}),
        member_row("TV003", **{"Mã xã/phường": "Phường Ba Đình"}),
    ]

    report = run(coop, manager, xlsx(rows))

    assert problems(report) == [
        (
            4,
            "Mã xã/phường",
            "Phường Ba Đình",
            "is neither a commune/ward code nor a commune/ward of Đắk Lắk",
        )
    ]
    del rows[3]
    run(coop, manager, xlsx(rows))
    assert set(Member.objects.values_list("ward_id", flat=True)) == {"24277"}


def test_a_commune_name_shared_by_two_communes_is_refused_with_their_codes(manager):
    quang_ngai = CooperativeFactory(province_code="51")
    grant(manager, quang_ngai, Role.Name.MANAGER)
    rows = [MEMBER_HEADERS, member_row("TV001", **{"Mã xã/phường": "xa ba to"})]

    report = run(quang_ngai, manager, xlsx(rows))

    [problem] = report.errors
    assert problem.field == "Mã xã/phường"
    assert problem.reason.startswith("names several communes/wards (")
    assert "give the 5-digit code" in problem.reason
    rows[1] = member_row("TV001", **{"Mã xã/phường": "Xã Ba Tơ"})
    assert run(quang_ngai, manager, xlsx(rows)).created == 1


def test_numbers_excel_stored_as_numbers_keep_their_leading_zeros(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row(
            "TV001",
            **{"Số điện thoại": 905123001, "Số CCCD": 66078000001, "Năm sinh": 1978.0},
        ),
    ]

    report = run(coop, manager, xlsx(rows))

    assert report.ok, problems(report)
    member = Member.objects.get(code="TV001")
    assert (member.phone, member.national_id, member.birth_year) == (
        "0905123001",
        "066078000001",
        1978,
    )


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (b"", "ds.xlsx", "The file is empty."),
        (b"%PDF-1.7 ...", "ds.pdf", "Choose an Excel (.xlsx) or CSV file; ds.pdf is neither."),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "ds.xls", "Old Excel files (.xls) cannot be read"),
        (b"PK\x03\x04 not really a zip", "ds.xlsx", "cannot be read as an Excel workbook"),
        ("Mã thành viên\n".encode("latin-1"), "ds.csv", "is not UTF-8 text"),
        (b"\n\n", "ds.csv", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_list_gets_a_clear_reason(coop, manager, content, filename, reason):
    import io

    report = run(coop, manager, io.BytesIO(content), filename)

    assert [e.field for e in report.errors] == ["file"]
    assert reason in report.errors[0].reason


def test_a_header_without_rows_is_reported(coop, manager):
    report = run(coop, manager, xlsx([MEMBER_HEADERS]))

    assert report.errors[0].reason == "The file has column headers but no rows under them."


def test_a_value_under_a_column_without_header_is_not_dropped_silently(coop, manager):
    rows = [[*MEMBER_HEADERS, None], [*member_row("TV001"), "ghi chú"]]

    report = run(coop, manager, xlsx(rows))

    assert problems(report) == [(2, "P", "ghi chú", "has a value but the column has no header")]


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001"),
        [None] * 12,
        member_row("TV002", **{"Giới tính": "?"}),
    ]

    report = run(coop, manager, xlsx(rows))

    assert [e.row for e in report.errors] == [4]


def test_a_csv_cell_with_line_breaks_is_still_one_row(coop, manager):
    rows = [
        MEMBER_HEADERS,
        member_row("TV001", **{"Địa chỉ": "Thôn 3\nBuôn Ea Tul"}),
        member_row("TV002", **{"Giới tính": "?"}),
    ]

    report = run(coop, manager, csv_file(rows), "ds.csv")

    assert [e.row for e in report.errors] == [3]


def test_progress_is_reported_up_to_the_total(coop, manager):
    seen = []
    rows = [MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]

    run(coop, manager, xlsx(rows), progress=lambda done, total: seen.append((done, total)))

    assert seen[-1] == (4, 4)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_user_who_only_reads_cannot_import(coop, farmer):
    with pytest.raises(Forbidden):
        run(coop, farmer, xlsx([MEMBER_HEADERS, member_row()]))


def test_another_cooperatives_manager_cannot_import_into_this_one(coop, other_manager):
    with pytest.raises(NotFound):
        run(coop, other_manager, xlsx([MEMBER_HEADERS, member_row()]))
    assert not Member.objects.exists()


def test_an_enterprise_has_no_members_to_import(db):
    enterprise = EnterpriseFactory()
    user = grant(UserFactory(), enterprise, Role.Name.MANAGER)

    report = run(enterprise, user, xlsx([MEMBER_HEADERS, member_row()]))

    assert report.errors[0].reason == "only a cooperative or cooperative group has members"


NAMES = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạếềểễệốồổỗộớờởỡợ ", min_size=1).filter(
    str.strip
)
ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "Họ tên chủ hộ": NAMES,
            "Giới tính": st.sampled_from(["Nam", "Nữ", "Khác", "", "female"]),
            "Năm sinh": st.one_of(st.just(""), st.integers(1920, 2005)),
            "Số điện thoại": st.one_of(st.just(""), st.from_regex(r"09\d{8}", fullmatch=True)),
            "Mã xã/phường": st.sampled_from(["", "24277", "Xã Ea Tul"]),
            "Số nhân khẩu": st.one_of(st.just(""), st.integers(1, 20)),
            "Ngày vào HTX": st.dates(date(2000, 1, 1), date(2024, 12, 31)),
            "Đồng ý công khai": st.sampled_from(["Có", "Không", ""]),
        }
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS, as_csv=st.booleans())
def test_any_list_of_valid_rows_imported_twice_leaves_the_same_records(coop, manager, rows, as_csv):
    table = [MEMBER_HEADERS] + [
        member_row(f"TV{n:03d}", **{"Số CCCD": "", **row}) for n, row in enumerate(rows)
    ]

    def send():
        return csv_file(table) if as_csv else xlsx(table)

    with transaction.atomic():
        first = run(coop, manager, send(), "ds.csv" if as_csv else "ds.xlsx")
        assert first.created == len(rows), problems(first)
        state = list(Member.objects.values().order_by("code"))
        memberships = list(Membership.objects.values("member__code", "joined_on"))

        second = run(coop, manager, send(), "ds.csv" if as_csv else "ds.xlsx")

        assert (second.created, second.updated, second.unchanged) == (0, 0, len(rows))
        assert list(Member.objects.values().order_by("code")) == state
        assert list(Membership.objects.values("member__code", "joined_on")) == memberships
        transaction.set_rollback(True)
