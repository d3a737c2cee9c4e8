"""The input-product catalogue: the shared seed list, a cooperative's own products, imports."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from coopchain.diary import exchange, selectors, services
from coopchain.diary.models import InputProduct
from coopchain.errors import Conflict, Forbidden, NotFound
from coopchain.parties.tenancy import get_scoped

HEADERS = [
    "Tên sản phẩm",
    "Loại",
    "Hoạt chất",
    "Cấm sử dụng",
    "Liều tối đa/ha",
    "Đơn vị liều",
    "Thời gian cách ly (ngày)",
]


def xlsx(*rows) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = ("Regent chống mối 0.3 GR", "Thuốc trừ sâu", "Fipronil 3 g/kg", "Có", "", "", "")
ALSO_GOOD = (
    "Kasumin 2 SL",
    "Thuốc trừ bệnh",
    "Kasugamycin",
    "Không",
    "1,5",
    "lít",
    "cà phê vối: 7",
)


def test_the_shared_catalogue_ships_the_banned_pesticides_as_sample_data(db):
    banned = InputProduct.objects.filter(organization__isnull=True, banned=True)

    ingredients = " ".join(banned.values_list("active_ingredients", flat=True)).lower()
    for name in ("paraquat", "glyphosate", "2,4-d", "chlorpyrifos ethyl", "fipronil"):
        assert name in ingredients
    assert all(p.is_sample and p.banned_reason for p in banned)
    abamectin = InputProduct.objects.get(name="Abamectin 1.8 EC")
    assert abamectin.phis.get(crop__code="coffee-robusta").days == 14


def test_a_cooperative_adds_its_own_product_which_others_do_not_see(coop, manager, other_manager):
    product = services.create_input_product(
        organization=coop,
        data=services.InputProductData(
            name="Phân chuồng ủ hoai",
            kind="fertilizer",
            max_dose_per_ha=Decimal(20000),
            dose_unit="KGM",
        ),
        by=manager,
    )

    assert product in selectors.input_products(manager, organization=coop)
    with pytest.raises(NotFound):
        get_scoped(InputProduct.objects.all(), other_manager, pk=product.pk)
    with pytest.raises(Conflict):
        services.create_input_product(
            organization=coop,
            data=services.InputProductData(name="Phân chuồng ủ hoai", kind="fertilizer"),
            by=manager,
        )


def test_a_farmer_cannot_change_the_cooperatives_list(coop, farmer):
    with pytest.raises(Forbidden):
        services.create_input_product(
            organization=coop,
            data=services.InputProductData(name="X", kind="other"),
            by=farmer,
        )


def test_an_import_adds_products_with_their_intervals_and_a_retry_adds_nothing(coop, manager):
    report = exchange.import_input_products(
        organization=coop,
        file=xlsx(GOOD, ALSO_GOOD),
        filename="vat-tu.xlsx",
        dry_run=False,
        by=manager,
    )

    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 0)
    kasumin = InputProduct.objects.get(organization=coop, name="Kasumin 2 SL")
    assert kasumin.kind == "fungicide"
    assert (kasumin.max_dose_per_ha, kasumin.dose_unit) == (Decimal("1.5"), "LTR")
    assert kasumin.phis.get().crop.code == "coffee-robusta"
    assert InputProduct.objects.get(organization=coop, name=GOOD[0]).banned is True

    again = exchange.import_input_products(
        organization=coop,
        file=xlsx(GOOD, ALSO_GOOD),
        filename="vat-tu.xlsx",
        dry_run=False,
        by=manager,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert InputProduct.objects.filter(organization=coop).count() == 2


def test_a_file_with_bad_rows_imports_nothing_and_reports_row_column_and_reason(coop, manager):
    bad_kind = ("Thuốc lạ", "Thuốc nổ", "", "", "", "", "")
    bad_phi = ("Thuốc B", "Thuốc trừ sâu", "", "", "0,2", "kg", "sầu riêng: bảy")
    dose_without_unit = ("Thuốc C", "Thuốc trừ sâu", "", "", "0,2", "", "")

    report = exchange.import_input_products(
        organization=coop,
        file=xlsx(GOOD, bad_kind, bad_phi, dose_without_unit, GOOD),
        filename="vat-tu.xlsx",
        dry_run=False,
        by=manager,
    )

    problems = {(e.row, e.field) for e in report.errors}
    assert problems == {
        (3, "Loại"),
        (4, "Thời gian cách ly (ngày)"),
        (5, "Đơn vị liều"),
        (6, "Tên sản phẩm"),
    }
    assert "bảy is not a whole number of days" in next(
        e.reason for e in report.errors if e.row == 4
    )
    assert "Nothing was imported" in report.summary()
    assert not InputProduct.objects.filter(organization=coop).exists()


def test_a_dry_run_reports_without_writing(coop, manager):
    report = exchange.import_input_products(
        organization=coop, file=xlsx(GOOD), filename="vat-tu.xlsx", dry_run=True, by=manager
    )

    assert report.ok
    assert report.created == 1
    assert not InputProduct.objects.filter(organization=coop).exists()


def test_a_csv_with_semicolons_and_the_template_import_too(coop, manager):
    template = exchange.template_file("csv").decode("utf-8-sig")
    assert template.splitlines()[0].startswith("Tên sản phẩm,Loại")

    header = "Tên sản phẩm;Loại;Thời gian cách ly (ngày)\r\n"
    unquoted = header + "Bt WP;Thuốc trừ sâu;Bắp cải: 1; Cà chua: 1\r\n"
    report = exchange.import_input_products(
        organization=coop,
        file=io.BytesIO(unquoted.encode("utf-8")),
        filename="vat-tu.csv",
        dry_run=False,
        by=manager,
    )
    assert [(e.row, e.field, e.value) for e in report.errors] == [(2, "D", "Cà chua: 1")]

    quoted = header + 'Bt WP;Thuốc trừ sâu;"Bắp cải: 1; Cà chua: 1"\r\n'
    report = exchange.import_input_products(
        organization=coop,
        file=io.BytesIO(quoted.encode("utf-8")),
        filename="vat-tu.csv",
        dry_run=False,
        by=manager,
    )

    assert report.ok, report.errors
    product = InputProduct.objects.get(organization=coop, name="Bt WP")
    assert sorted(product.phis.values_list("crop__code", flat=True)) == ["cabbage", "tomato"]
