"""Plot files read into one shape: GeoJSON FeatureCollections, KML (and KMZ), and spreadsheets
(.csv, .xlsx) with a latitude and longitude column for plots recorded as points.

Reading only finds each plot's values, its geometry as GeoJSON and where each value came from
(the property, element or column name the user sees); `services.import_plots` checks them.
Numbers are read as typed (Decimal) so the precision check sees the decimals the file holds.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - see _read_kml

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from coopchain.lib.text import fold

# The EU information system takes up to 25 MB of geolocation per statement.
MAX_BYTES = 25 * 1024 * 1024
MAX_PLOTS = 40_000

GEOJSON, KML, TABLE = "geojson", "kml", "table"

# What each value may be called in a file: property names, KML data names, column headers,
# in English or Vietnamese, compared without case, marks, spaces or punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "member_code": ("member_code", "ma_thanh_vien", "mã thành viên", "ma_tv", "member"),
    "plot_code": ("plot_code", "ma_lo", "mã lô", "ma_thua", "mã thửa", "plot"),
    "name": ("name", "ten_lo", "tên lô", "ten", "tên", "ProductionPlace"),
    "latitude": ("latitude", "lat", "vi_do", "vĩ độ"),
    "longitude": ("longitude", "lon", "lng", "long", "kinh_do", "kinh độ"),
    "declared_area_ha": (
        "declared_area_ha",
        # "Area" is the EU information system's property; an export's mapped area is not read.
        "area",
        "dien_tich",
        "diện tích",
        "diện tích (ha)",
    ),
    "ward_code": ("ward_code", "ma_xa", "mã xã", "mã xã/phường", "ward"),
    "planting_area_code": (
        "planting_area_code",
        "ma_so_vung_trong",
        "mã số vùng trồng",
        "ma_vung_trong",
    ),
    "land_certificate_ref": (
        "land_certificate_ref",
        "land_certificate",
        "so_do",
        "số sổ đỏ",
        "sổ đỏ",
        "giay_chung_nhan",
    ),
    "crop": ("crop", "cay_trong", "cây trồng"),
    "variety": ("variety", "giong", "giống"),
    "planting_year": ("planting_year", "nam_trong", "năm trồng"),
    "tree_count": ("tree_count", "so_cay", "số cây"),
    "status": ("status", "trang_thai", "trạng thái"),
}


def key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name))


_FIELD_OF = {key(alias): name for name, aliases in ALIASES.items() for alias in aliases}


class FileRefused(Exception):
    """The file as a whole cannot be read; the reason is for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Entry:
    """One plot as a file gives it."""

    number: int  # feature or placemark number from 1, or the spreadsheet row
    values: dict[str, Any] = field(default_factory=dict)
    # Where each value came from, as the user sees it ("properties.ma_thanh_vien", "Vĩ độ").
    labels: dict[str, str] = field(default_factory=dict)
    geometry: Any = None
    # What geometry findings are reported on: a prefix for their JSON path (GeoJSON, KML), or
    # for a spreadsheet's point the coordinate columns themselves.
    geometry_label: str = "geometry"
    geometry_paths: bool = True
    # Reasons found while reading, as (field, reason, value).
    problems: list[tuple[str, str, Any]] = field(default_factory=list)

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def take(self, source_name: str, value: Any, label: str) -> None:
        name = _FIELD_OF.get(key(source_name))
        if name is not None and name not in self.values:
            self.values[name] = value
            self.labels[name] = label


@dataclass
class PlotFile:
    kind: str
    entries: list[Entry]

    @property
    def unit(self) -> str:
        return {GEOJSON: "feature", KML: "placemark", TABLE: "row"}[self.kind]


def read_plot_file(content: bytes, filename: str) -> PlotFile:
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if extension == "kmz" or (extension != "xlsx" and content.startswith(b"PK\x03\x04")):
        return _read_kmz(content)
    if extension in ("geojson", "json") or head.startswith(b"{"):
        return _read_geojson(content)
    if extension == "kml" or head.startswith(b"<"):
        return _read_kml(content)
    if extension in ("xlsx", "xlsm"):
        return _read_xlsx(content)
    if extension in ("csv", "txt", ""):
        return _read_csv(content)
    raise FileRefused(
        _(
            "Choose a GeoJSON (.geojson), KML (.kml, .kmz), Excel (.xlsx) or CSV file; "
            "%(name)s is none of these."
        )
        % {"name": filename}
    )


def _check_count(count: int) -> None:
    if count > MAX_PLOTS:
        raise FileRefused(
            _("The file has more than %(limit)s plots. Split it into smaller files.")
            % {"limit": f"{MAX_PLOTS:,}"}
        )


# --- GeoJSON --------------------------------------------------------------------------------


def _read_geojson(content: bytes) -> PlotFile:
    try:
        document = json.loads(content.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise FileRefused(_("This GeoJSON file is not UTF-8 text.")) from None
    except (json.JSONDecodeError, RecursionError) as error:
        where = (
            _(" (line %(line)d, column %(column)d)") % {"line": error.lineno, "column": error.colno}
            if isinstance(error, json.JSONDecodeError)
            else ""
        )
        raise FileRefused(_("This file is not valid JSON%(where)s.") % {"where": where}) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        features: Any = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
    else:
        raise FileRefused(
            _("A plot file in GeoJSON is a FeatureCollection, with one Feature per plot.")
        )
    if not isinstance(features, list) or not features:
        raise FileRefused(_("The FeatureCollection has no features."))
    _check_count(len(features))
    entries = []
    for number, feature in enumerate(features, start=1):
        entry = Entry(number=number)
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            entry.problems.append(("type", _("is not a GeoJSON Feature"), None))
            entries.append(entry)
            continue
        properties = feature.get("properties") or {}
        if isinstance(properties, dict):
            for name, value in properties.items():
                entry.take(str(name), value, f"properties.{name}")
        entry.geometry = feature.get("geometry")
        if entry.geometry is None:
            entry.problems.append(("geometry", _("is missing: the feature has no geometry"), None))
        entries.append(entry)
    return PlotFile(GEOJSON, entries)


# --- KML ------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element.iter() if _local(child.tag) == name]


def _read_kmz(content: bytes) -> PlotFile:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".kml")]
            if not names:
                raise FileRefused(_("This KMZ file holds no KML document."))
            info = archive.getinfo("doc.kml" if "doc.kml" in names else names[0])
            if info.file_size > MAX_BYTES:
                raise FileRefused(_("The KML document in this KMZ file is too large."))
            return _read_kml(archive.read(info))
    except zipfile.BadZipFile:
        raise FileRefused(_("This file cannot be read as a KMZ (zipped KML) file.")) from None


def _read_kml(content: bytes) -> PlotFile:
    if b"<!DOCTYPE" in content[:2048] or b"<!ENTITY" in content:
        # A plot file needs no document type; refusing one rules out entity tricks entirely.
        raise FileRefused(_("This KML file declares a document type, which is not accepted."))
    try:
        # Expat (2.4.1 and later, as bundled) refuses entity expansion bombs, ElementTree never
        # fetches external entities, and DOCTYPEs are refused above.
        root = ET.fromstring(content)  # noqa: S314
    except ET.ParseError as error:
        line, column = error.position
        raise FileRefused(
            _("This file is not valid KML (XML error at line %(line)d, column %(column)d).")
            % {"line": line, "column": column}
        ) from None
    placemarks = _descendants(root, "Placemark")
    if not placemarks:
        raise FileRefused(_("This KML file has no Placemark."))
    _check_count(len(placemarks))
    return PlotFile(KML, [_placemark(n, p) for n, p in enumerate(placemarks, start=1)])


def _placemark(number: int, placemark: ET.Element) -> Entry:
    entry = Entry(number=number, geometry_label="")
    for data in _descendants(placemark, "Data"):
        values = _children(data, "value")
        name = data.get("name", "")
        entry.take(name, (values[0].text or "").strip() if values else "", name)
    for data in _descendants(placemark, "SimpleData"):
        name = data.get("name", "")
        entry.take(name, (data.text or "").strip(), name)
    names = _children(placemark, "name")
    if names and (names[0].text or "").strip():
        # The placemark's name is the plot code unless the data names one.
        entry.take("plot_code", names[0].text.strip(), "name")
    entry.geometry = _kml_geometry(placemark, entry)
    return entry


def _kml_geometry(placemark: ET.Element, entry: Entry) -> Any:
    polygons = _descendants(placemark, "Polygon")
    if polygons:
        parts = [_kml_polygon(p, entry) for p in polygons]
        if len(parts) == 1:
            return {"type": "Polygon", "coordinates": parts[0]}
        return {"type": "MultiPolygon", "coordinates": parts}
    points = _descendants(placemark, "Point")
    if points:
        positions = _kml_positions(_descendants(points[0], "coordinates"), entry)
        return {"type": "Point", "coordinates": positions[0] if positions else []}
    for other in ("LineString", "LinearRing", "Track", "MultiTrack", "Model"):
        if _descendants(placemark, other):
            return {"type": "LineString" if other != "Model" else other, "coordinates": []}
    entry.problems.append(
        ("coordinates", _("is missing: the placemark has no Polygon or Point"), None)
    )
    return None


def _kml_polygon(polygon: ET.Element, entry: Entry) -> list:
    rings = []
    for boundary in ("outerBoundaryIs", "innerBoundaryIs"):
        for element in _children(polygon, boundary):
            rings.append(_kml_positions(_descendants(element, "coordinates"), entry))
    return rings


def _kml_positions(elements: list[ET.Element], entry: Entry) -> list:
    if not elements:
        return []
    positions = []
    for index, text in enumerate((elements[0].text or "").split(), start=1):
        numbers = text.split(",")
        try:
            position = [Decimal(n) for n in numbers]
        except InvalidOperation:
            position = []
        if len(position) not in (2, 3) or not all(n.is_finite() for n in position):
            entry.problems.append(
                (
                    "coordinates",
                    _("position %(index)d is not longitude,latitude[,altitude]") % {"index": index},
                    text,
                )
            )
            continue
        positions.append(position[:2])
    return positions


# --- Spreadsheets ---------------------------------------------------------------------------


def _read_xlsx(content: bytes) -> PlotFile:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise FileRefused(
            _("This file cannot be read as an Excel workbook. Save it again as .xlsx and retry.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return _table(enumerate(sheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()


def _read_csv(content: bytes) -> PlotFile:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _(
                "This CSV file is not UTF-8 text. In Excel, save it as "
                '"CSV UTF-8 (Comma delimited)" and retry.'
            )
        ) from None
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel in the Vietnamese locale separates with ";" (the comma is the decimal mark).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table((reader.line_num, tuple(cells)) for cells in reader)
    except csv.Error:
        raise FileRefused(
            _("This CSV file is malformed (a quotation mark is not closed).")
        ) from None


def _blank(cells: Any) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table(rows: Any) -> PlotFile:
    headers: list[str] | None = None
    entries: list[Entry] = []
    for number, cells in rows:
        if _blank(cells):
            continue
        if headers is None:
            headers = [str(c).strip() if c is not None else "" for c in cells]
            known = {_FIELD_OF.get(key(h)) for h in headers}
            missing = [name for name in ("latitude", "longitude") if name not in known]
            if missing:
                raise FileRefused(
                    _(
                        "The first row must name the columns, with a latitude (Vĩ độ) and a "
                        "longitude (Kinh độ) column for each plot's point."
                    )
                )
            continue
        entry = Entry(number=number)
        for header, cell in zip(headers, cells, strict=False):
            if header:
                entry.take(header, _cell(cell), header)
        entries.append(entry)
        _check_count(len(entries))
    if headers is None:
        raise FileRefused(_("The file is empty."))
    if not entries:
        raise FileRefused(_("The file has column headers but no rows under them."))
    for entry in entries:
        entry.geometry = _point(entry)
    return PlotFile(TABLE, entries)


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    return value


def _point(entry: Entry) -> Any:
    position = []
    for name in ("longitude", "latitude"):
        value = entry.values.get(name)
        number = number_of(value)
        if value in (None, ""):
            entry.problems.append((entry.label(name), _("is required"), ""))
        elif number is None:
            entry.problems.append(
                (entry.label(name), _("is not a number of degrees, such as 12.712345"), value)
            )
        position.append(number)
    if None in position:
        return None
    entry.geometry_label = f"{entry.label('latitude')}, {entry.label('longitude')}"
    entry.geometry_paths = False
    return {"type": "Point", "coordinates": position}


def number_of(value: Any) -> Decimal | None:
    """A number as typed, with a decimal comma accepted (12,712345)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
