"""A cooperative imports its reports from the Vietnamese template: every row or none, each
problem by row, column and reason, and the same file twice stores each report once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from coopchain.monitoring.imports import COLUMNS
from coopchain.monitoring.models import CooperativeReport

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS]


def workbook(*rows: list[object], headers: list[str] = HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("bao-cao.xlsx", buffer.getvalue())


def row(year=2025, half=0, **figures) -> list[object]:
    values = {c.field: c.example for c in COLUMNS} | {"year": year, "half": half} | figures
    return [values[c.field] for c in COLUMNS]


def upload(client, coop, file, **extra):
    return client.post(
        reverse("monitoring:import_reports", args=[coop.pk]), {"file": file, **extra}
    )


def test_the_template_has_vietnamese_headers_an_example_and_a_guide(client, manager):
    client.force_login(manager)

    response = client.get(reverse("monitoring:report_template"))

    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book["Báo cáo"][1]]
    assert headers[:3] == ["Năm", "Kỳ", "Doanh thu (đồng)"]
    assert "Giá trị qua hợp đồng liên kết (đồng)" in headers
    assert book.sheetnames == ["Báo cáo", "Hướng dẫn"]


def test_the_templates_example_imports_as_a_report(client, coop, manager):
    client.force_login(manager)
    template = client.get(reverse("monitoring:report_template")).content

    response = upload(client, coop, SimpleUploadedFile("mau.xlsx", template))

    assert response.status_code == 200
    assert "Imported: 1 added, 0 updated, 0 unchanged." in response.content.decode()
    report = CooperativeReport.objects.get()
    assert (report.year, report.half, report.revenue, report.profit) == (
        2025, 0, 4_000_000_000, 500_000_000,
    )  # fmt: skip
    assert (report.brand_registered, report.ocop_stars) == (True, 3)


def test_a_file_with_bad_rows_stores_nothing_and_names_each_problem(client, coop, manager):
    client.force_login(manager)
    file = workbook(
        row(2024),
        row(2025, half=3),
        row(2025, output_value=1_000, linkage_output_value=2_000),
        row(2024, revenue="nhiều"),
        row(2023, traceability_in_use="có lẽ"),
    )

    response = upload(client, coop, file)

    page = response.content.decode()
    assert response.status_code == 400
    assert not CooperativeReport.objects.exists()
    assert "Nothing was imported: 4 problems in the file." in page
    assert "<td>3</td><td>Kỳ</td><td>3</td><td>must be from 0 to 2</td>" in page
    assert "<td>4</td><td>Giá trị qua hợp đồng liên kết (đồng)</td><td>2000</td>" in page
    assert "cannot exceed the whole output value" in page
    assert "<td>5</td><td>Doanh thu (đồng)</td><td>nhiều</td><td>is not a whole number</td>" in page
    assert (
        "<td>6</td><td>Có truy xuất nguồn gốc</td><td>có lẽ</td><td>must be Có or Không</td>"
        in (page)
    )


def test_the_same_period_twice_and_an_unknown_column_are_refused(client, coop, manager):
    client.force_login(manager)

    twice = upload(client, coop, workbook(row(2025), row(2025, revenue=1)))
    unknown = upload(client, coop, workbook(["2025", "x"], headers=["Năm", "Lãi suất"]))

    assert "the same period as row 2" in twice.content.decode()
    text = unknown.content.decode()
    assert "Lãi suất" in text
    assert "is not a column of the report" in text
    assert "this column is missing" in text
    assert not CooperativeReport.objects.exists()


def test_importing_the_same_file_twice_stores_it_once_and_a_change_is_a_new_version(
    client, coop, manager
):
    client.force_login(manager)
    rows = [row(2024, revenue=3_000_000_000), row(2025, half=1, revenue=1_500_000_000)]

    upload(client, coop, workbook(*rows))
    again = upload(client, coop, workbook(*rows))
    changed = upload(client, coop, workbook(rows[0], row(2025, half=1, revenue=1_600_000_000)))

    assert "0 added, 0 updated, 2 unchanged" in again.content.decode()
    assert "0 added, 1 updated, 1 unchanged" in changed.content.decode()
    versions = CooperativeReport.objects.filter(year=2025, half=1).order_by("version")
    assert [(r.version, r.revenue) for r in versions] == [(1, 1_500_000_000), (2, 1_600_000_000)]
    assert CooperativeReport.objects.filter(year=2024).count() == 1


def test_a_check_only_upload_writes_nothing(client, coop, manager):
    client.force_login(manager)

    response = upload(client, coop, workbook(row(2025)), dry_run="1")

    assert "Checked: nothing was written. 1 would be added" in response.content.decode()
    assert not CooperativeReport.objects.exists()


def test_only_the_cooperatives_own_writers_import(client, coop, farmer, other_manager):
    client.force_login(other_manager)
    assert upload(client, coop, workbook(row(2025))).status_code == 404
    client.force_login(farmer)
    assert upload(client, coop, workbook(row(2025))).status_code == 403
    assert not CooperativeReport.objects.exists()
