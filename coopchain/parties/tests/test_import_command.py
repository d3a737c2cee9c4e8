import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from coopchain import cli
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


@pytest.fixture
def member_list(tmp_path):
    path = tmp_path / "thanh-vien.xlsx"
    path.write_bytes(xlsx([MEMBER_HEADERS, member_row("TV001"), member_row("TV002")]).getvalue())
    return path


def test_import_adds_the_households_and_prints_the_report(coop, manager, member_list, capsys):
    call_command(
        "import", "members", str(member_list), "--organization", str(coop.pk), "--as", "manager"
    )

    out, err = capsys.readouterr()
    assert "Imported: 2 added, 0 updated, 0 unchanged." in out
    assert "thanh-vien.xlsx: 100%" in err  # the progress bar, on stderr
    assert Member.objects.filter(organization=coop).count() == 2


def test_the_organization_may_be_named_by_its_tax_code(coop, manager, tmp_path, capsys):
    coop.tax_code = "6001234567"
    coop.save()
    path = tmp_path / "co-so.csv"
    path.write_bytes(csv_file([FACILITY_HEADERS, facility_row("CS01")], delimiter=";").getvalue())

    call_command(
        "import", "facilities", str(path), "--organization", "6001234567", "--as", "manager"
    )

    assert Facility.objects.get(organization=coop).code == "CS01"


def test_a_dry_run_writes_nothing(coop, manager, member_list, capsys):
    call_command(
        "import",
        "members",
        str(member_list),
        "--organization",
        str(coop.pk),
        "--as",
        "manager",
        "--dry-run",
    )

    assert "Checked: nothing was written. 2 would be added" in capsys.readouterr().out
    assert not Member.objects.exists()


def test_a_refused_file_prints_every_problem_and_exits_with_status_1(
    coop, manager, tmp_path, capsys, monkeypatch
):
    # A command run from the command line closes the database connections when it ends; here
    # that would end the test's own transaction (on PostgreSQL) and leak rows into later tests.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "loi.xlsx"
    rows = [MEMBER_HEADERS, member_row("TV001", **{"Giới tính": "?"}), member_row("TV001")]
    path.write_bytes(xlsx(rows).getvalue())

    with pytest.raises(SystemExit) as exited:
        cli.main(
            [
                "coopchain",
                "import",
                "members",
                str(path),
                "--organization",
                str(coop.pk),
                "--as",
                "manager",
            ]
        )

    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert "row 2, Giới tính [?]: must be Nam, Nữ or Khác" in out
    assert "row 3, Mã thành viên [TV001]: is used again: row 2 has the same code" in out
    assert "Nothing was imported: 2 problems in the file." in err
    assert not Member.objects.exists()


def test_a_user_without_write_rights_is_refused(coop, farmer, member_list):
    with pytest.raises(CommandError, match="does not allow changes"):
        call_command(
            "import", "members", str(member_list), "--organization", str(coop.pk), "--as", "farmer"
        )


def test_an_unknown_organization_or_user_is_named(coop, manager, member_list):
    with pytest.raises(CommandError, match="No organization has the id or tax code '999999'"):
        call_command(
            "import", "members", str(member_list), "--organization", "999999", "--as", "manager"
        )
    with pytest.raises(CommandError, match="No active user is called 'nobody'"):
        call_command(
            "import", "members", str(member_list), "--organization", str(coop.pk), "--as", "nobody"
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_writes_the_list_where_asked(coop, manager, member, tmp_path, fmt, capsys):
    path = tmp_path / f"ds.{fmt}"

    call_command(
        "export",
        "members",
        "--organization",
        str(coop.pk),
        "--as",
        "manager",
        "--format",
        fmt,
        "--output",
        str(path),
    )

    rows = read_xlsx(path.read_bytes()) if fmt == "xlsx" else read_csv(path.read_bytes())
    assert rows[0] == MEMBER_HEADERS
    assert [r[1] for r in rows[1:]] == ["Nguyễn Thị Đào"]
    assert f"Wrote {path}." in capsys.readouterr().out


def test_export_for_a_user_of_another_cooperative_is_refused(coop, other_manager, tmp_path):
    with pytest.raises(CommandError, match="No organization matches"):
        call_command(
            "export",
            "members",
            "--organization",
            str(coop.pk),
            "--as",
            "other_manager",
            "--output",
            str(tmp_path / "x.xlsx"),
        )
    assert not (tmp_path / "x.xlsx").exists()
