"""Plot files in: GeoJSON, KML and spreadsheets; a bad plot anywhere writes nothing, and the
same file imported again creates nothing twice."""

import io
import json
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from coopchain.land.models import Plot, PlotCrop, PlotGeometryHistory
from coopchain.land.services import export_plots_geojson, import_plots
from coopchain.land.tests.factories import PlotFactory
from coopchain.land.tests.shapes import bow_tie, collection, feature, point, quadrilateral, square
from coopchain.parties.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def run(coop, manager, content, filename, dry_run=False):
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    return import_plots(
        organization=coop, file=io.BytesIO(content), filename=filename, dry_run=dry_run, by=manager
    )


def errors_of(report):
    return [(e.row, e.field, e.reason) for e in report.errors]


@pytest.fixture
def households(coop):
    return [
        MemberFactory(organization=coop, code="TV001"),
        MemberFactory(organization=coop, code="TV002"),
    ]


def three_plots(middle_geometry=None):
    return collection(
        feature(square(), member_code="TV001", plot_code="L1", name="Rẫy 1"),
        feature(
            middle_geometry or square(lon=108.040001),
            ma_thanh_vien="TV002",
            plot_code="L2",
            crop="coffee-robusta",
            tree_count=1100,
        ),
        feature(point(lon=108.050001), member_code="TV002", plot_code="L3", declared_area_ha=0.4),
    )


def test_a_geojson_file_creates_its_plots_with_crops(coop, manager, households):
    report = run(coop, manager, three_plots(), "plots.geojson")

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.summary() == "Imported: 3 added, 0 updated, 0 unchanged."
    assert sorted(Plot.objects.values_list("code", "member__code", "shape")) == [
        ("L1", "TV001", "Polygon"),
        ("L2", "TV002", "Polygon"),
        ("L3", "TV002", "Point"),
    ]
    assert Plot.objects.get(code="L3").area_ha == Decimal("0.4")
    coffee = PlotCrop.objects.get(plot__code="L2")
    assert (coffee.crop.code, coffee.tree_count) == ("coffee-robusta", 1100)


def test_one_bad_feature_is_reported_by_number_and_nothing_is_written(coop, manager, households):
    report = run(
        coop, manager, three_plots(middle_geometry=bow_tie(lon=108.040001)), "plots.geojson"
    )

    assert not report.ok
    assert [(row, field) for row, field, _reason in errors_of(report)] == [
        (2, "geometry.coordinates")
    ]
    assert "crosses itself" in report.errors[0].reason
    assert report.summary() == "Nothing was imported: 1 problem in the file."
    assert report.created == 0
    assert not Plot.objects.exists()


def test_every_bad_feature_is_reported_with_its_field(coop, manager, households):
    document = collection(
        feature(square(), member_code="TV009", plot_code="L1"),
        feature(square(lon=108.040001), member_code="TV001"),
        feature(
            {"type": "LineString", "coordinates": [[108.1, 12.1], [108.2, 12.2]]},
            member_code="TV001",
            plot_code="L3",
        ),
        feature(point(lon=108.060001), member_code="TV001", plot_code="L4", declared_area_ha=5),
        feature(square(lon=108.070001), member_code="TV001", plot_code="L1"),
    )

    report = run(coop, manager, document, "plots.geojson")

    assert [(row, field) for row, field, _reason in errors_of(report)] == [
        (1, "properties.member_code"),
        (2, "plot_code"),
        (3, "geometry.type"),
        (4, "geometry.type"),
        (5, "properties.plot_code"),
    ]
    assert "feature 1 has the same code" in report.errors[-1].reason
    assert not Plot.objects.exists()


def test_importing_the_same_file_again_changes_nothing(coop, manager, households):
    run(coop, manager, three_plots(), "plots.geojson")

    again = run(coop, manager, three_plots(), "plots.geojson")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Plot.objects.count() == 3
    assert PlotCrop.objects.count() == 1
    assert not PlotGeometryHistory.objects.exists()


def test_an_export_imported_again_changes_nothing(coop, manager, households):
    run(coop, manager, three_plots(), "plots.geojson")
    exported = export_plots_geojson(plots=Plot.objects.all())

    again = run(coop, manager, exported, "export.geojson")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_redrawn_plot_is_updated_and_its_old_shape_kept(coop, manager, households):
    run(coop, manager, three_plots(), "plots.geojson")
    redrawn = collection(feature(quadrilateral(), member_code="TV001", plot_code="L1"))

    report = run(coop, manager, redrawn, "plots.geojson")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    plot = Plot.objects.get(code="L1")
    assert plot.geometry == quadrilateral()
    assert plot.name == "Rẫy 1"  # a property the file leaves out keeps its value
    assert PlotGeometryHistory.objects.get(plot=plot).geometry == square()


def test_a_dry_run_reports_without_writing(coop, manager, households):
    report = run(coop, manager, three_plots(), "plots.geojson", dry_run=True)

    assert report.ok
    assert report.created == 3
    assert report.summary().startswith("Checked: nothing was written. 3 would be added")
    assert not Plot.objects.exists()


def test_plots_of_one_file_overlapping_each_other_are_refused_on_the_later_one(
    coop, manager, households
):
    document = collection(
        feature(square(), member_code="TV001", plot_code="L1"),
        feature(square(lon=108.030501), member_code="TV002", plot_code="L2"),
    )

    report = run(coop, manager, document, "plots.geojson", dry_run=True)

    assert [(row, reason[:20]) for row, _f, reason in errors_of(report)] == [
        (2, "overlaps plot L1 by ")
    ]


def test_an_overlap_with_a_plot_already_recorded_is_refused(coop, manager, households):
    PlotFactory(member=households[0], code="OLD", geometry=square(lon=108.040501))

    report = run(coop, manager, three_plots(), "plots.geojson")

    assert [(row, reason[:21]) for row, _f, reason in errors_of(report)] == [
        (2, "overlaps plot OLD by ")
    ]


def test_a_plot_code_of_another_household_is_not_moved_by_an_import(coop, manager, households):
    run(coop, manager, three_plots(), "plots.geojson")
    moved = collection(feature(square(), member_code="TV002", plot_code="L1"))

    report = run(coop, manager, moved, "plots.geojson")

    assert "belongs to member TV001" in report.errors[0].reason


def test_a_file_that_is_not_geojson_is_refused_as_a_whole(coop, manager, households):
    report = run(coop, manager, '{"type": "FeatureCollection", "features": [', "plots.geojson")

    assert report.errors[0].field == "file"
    assert "not valid JSON" in report.errors[0].reason


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <Placemark>
      <name>K1</name>
      <ExtendedData><Data name="ma_thanh_vien"><value>TV001</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        108.030001,12.700001,0 108.031001,12.700001,0 108.031001,12.701001,0
        108.030001,12.701001,0 108.030001,12.700001,0
      </coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
    <Placemark>
      <name>K2</name>
      <ExtendedData><SchemaData><SimpleData name="member_code">TV002</SimpleData>
        <SimpleData name="dien_tich">0.5</SimpleData></SchemaData></ExtendedData>
      <Point><coordinates>108.040001,12.700001</coordinates></Point>
    </Placemark>
    <Placemark>
      <name>K3</name>
      <ExtendedData><Data name="member_code"><value>TV002</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>
        108.050001,12.700001 108.051001,12.700001 108.051001,12.701001
      </coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>
  </Document>
</kml>
"""


def test_a_kml_file_with_an_open_ring_reports_the_placemark_and_writes_nothing(
    coop, manager, households
):
    report = run(coop, manager, KML, "vung-trong.kml")

    assert report.unit == "placemark"
    assert [(row, field) for row, field, _r in errors_of(report)] == [
        (3, "coordinates[0]"),
        (3, "coordinates[0][2]"),
    ]
    assert "has 3 position(s)" in report.errors[0].reason
    assert "is not closed" in report.errors[1].reason
    assert not Plot.objects.exists()


def test_a_kml_file_creates_polygons_and_points_from_placemarks(coop, manager, households):
    good = KML.replace(
        "108.051001,12.701001\n",
        "108.051001,12.701001 108.050001,12.701001 108.050001,12.700001\n",
    )

    report = run(coop, manager, good, "vung-trong.kml")

    assert report.ok, report.errors
    assert sorted(Plot.objects.values_list("code", "shape", "member__code")) == [
        ("K1", "Polygon", "TV001"),
        ("K2", "Point", "TV002"),
        ("K3", "Polygon", "TV002"),
    ]
    assert Plot.objects.get(code="K2").area_ha == Decimal("0.5")


def test_a_kmz_file_is_read_like_its_kml(coop, manager, households):
    good = KML.replace(
        "108.051001,12.701001\n",
        "108.051001,12.701001 108.050001,12.701001 108.050001,12.700001\n",
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", good)

    report = run(coop, manager, buffer.getvalue(), "vung-trong.kmz")

    assert report.created == 3


def test_a_kml_file_with_a_document_type_is_refused(coop, manager, households):
    hostile = KML.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaa">]>',
    )

    report = run(coop, manager, hostile, "vung-trong.kml")

    assert report.errors[0].field == "file"


CSV = """Mã thành viên;Mã lô;Vĩ độ;Kinh độ;Diện tích (ha);Cây trồng
TV001;P1;12,700001;108,030001;0,8;Cà phê vối (Robusta)
TV002;P2;12.710001;108.030001;1.5;coffee-robusta
TV002;P3;108.040001;12.720001;0.9;coffee-robusta
TV001;P4;12.7301;108.0301;5;
"""


def test_a_spreadsheet_of_points_reports_each_bad_row_by_its_row_number(coop, manager, households):
    report = run(coop, manager, CSV, "diem.csv")

    assert report.unit == "row"
    assert [(row, field) for row, field, _r in errors_of(report)] == [
        (4, "Vĩ độ, Kinh độ"),
        (5, "Vĩ độ, Kinh độ"),
        (5, "Diện tích (ha)"),
    ]
    assert "swapped" in report.errors[0].reason
    assert "4 decimal places" in report.errors[1].reason
    assert "must be mapped as a polygon" in report.errors[2].reason
    assert not Plot.objects.exists()


def test_a_spreadsheet_of_points_creates_point_plots(coop, manager, households):
    good = "\n".join(CSV.splitlines()[:3]) + "\n"

    report = run(coop, manager, good, "diem.csv")

    assert report.ok, report.errors
    plot = Plot.objects.get(code="P1")
    assert plot.geometry == {"type": "Point", "coordinates": [108.030001, 12.700001]}
    assert plot.area_ha == Decimal("0.8")
    assert plot.crops.get().crop.code == "coffee-robusta"


def test_an_excel_file_of_points_is_imported(coop, manager, households):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["member_code", "plot_code", "latitude", "longitude", "area"])
    sheet.append(["TV001", "X1", 12.700123, 108.030456, 1.2])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = run(coop, manager, buffer.getvalue(), "diem.xlsx")

    assert report.ok, report.errors
    assert Plot.objects.get(code="X1").geometry["coordinates"] == [108.030456, 12.700123]


def test_a_thousand_plots_import_in_one_file(coop, manager, households):
    features = []
    for i in range(1000):
        lon, lat = 108.0 + (i % 40) * 0.0015, 12.6 + (i // 40) * 0.0015
        features.append(
            feature(
                quadrilateral(lon=lon, lat=lat),
                member_code=households[i % 2].code,
                plot_code=f"B{i:04d}",
            )
        )

    report = run(coop, manager, collection(*features), "nhieu-lo.geojson")

    assert report.ok, report.errors[:3]
    assert Plot.objects.count() == 1000
