"""Plot geometry: GeoJSON (RFC 7946) checked against what buyers and the EU information system
accept (EUDR geolocation rules), with geodesic area on the WGS 84 ellipsoid.

Pure functions, no Django: the land app stores and scopes plots, the compliance work exports
them, both through these checks. Every refusal is a `Finding` naming where it is (a JSON path
inside the geometry, such as ``coordinates[0][3]``) and why, in English with ``%(name)s``
placeholders that callers translate (the messages are marked for extraction).
"""

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pyproj import Geod
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

Severity = Literal["error", "warning"]
Position = tuple[float, float]
BBox = tuple[float, float, float, float]

WGS84 = Geod(ellps="WGS84")
SQUARE_METRES_PER_HECTARE = 10_000
# The EU information system pads positions with fewer decimals and truncates longer ones.
REQUIRED_DECIMALS = 6
# A point stands for a plot of at most 4 ha; larger plots need a polygon (EUDR Art. 2(28)).
POINT_MAX_HA = Decimal("4")
# The smallest area the EU information system accepts.
MIN_AREA_HA = Decimal("0.0001")
# Two plots of one cooperative may share a sliver of a boundary, not more.
OVERLAP_LIMIT = 0.05
# A declared area further than this from the mapped one is flagged.
DECLARED_AREA_TOLERANCE = 0.10

SUPPORTED_TYPES = ("Point", "Polygon", "MultiPolygon")
GEOJSON_TYPES = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
)


@dataclass(frozen=True)
class Box:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def holds(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat


# The mainland with its near-shore islands (Phú Quốc, Côn Đảo, Bạch Long Vĩ, Thổ Chu) fits one
# box; the offshore archipelagos of Hoàng Sa and Trường Sa get boxes of their own.
VIET_NAM = Box(102.1, 8.1, 109.5, 23.4)
OFFSHORE_ISLANDS = (Box(111.0, 15.6, 113.0, 17.2), Box(111.4, 6.0, 117.9, 12.1))


def in_viet_nam(lon: float, lat: float) -> bool:
    return VIET_NAM.holds(lon, lat) or any(box.holds(lon, lat) for box in OFFSHORE_ISLANDS)


def gettext_noop(message: str) -> str:
    """Marks a message for translation catalogues; callers translate it when they show it."""
    return message


@dataclass(frozen=True)
class Finding:
    """One thing wrong with (error) or worth knowing about (warning) a geometry."""

    code: str
    message: str
    params: Mapping[str, str] = field(default_factory=dict)
    path: str = ""
    severity: Severity = "error"
    # The input the finding is about: the geometry itself, or the declared area beside it.
    field: str = "geometry"

    @property
    def reason(self) -> str:
        return self.message % dict(self.params)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "params": dict(self.params),
            "path": self.path,
            "severity": self.severity,
            "field": self.field,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Finding":
        return cls(
            code=data["code"],
            message=data["message"],
            params=dict(data.get("params", {})),
            path=data.get("path", ""),
            severity=data.get("severity", "error"),
            field=data.get("field", "geometry"),
        )


@dataclass(frozen=True)
class CheckedGeometry:
    """The outcome of `check_geometry`: findings, and when there is no error, the normalised
    geometry (2-D float positions) with what is computed from it."""

    findings: tuple[Finding, ...]
    geometry: dict[str, Any] | None = None
    shape: BaseGeometry | None = field(default=None, compare=False)
    area_ha: Decimal | None = None
    centroid: Position | None = None
    bbox: BBox | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def kind(self) -> str:
        return self.geometry["type"] if self.geometry else ""


class GeometryError(Exception):
    """Raised by `parse_geojson`; `check_geometry` returns its findings instead."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(findings[0].reason if findings else "")
        self.findings = findings


def parse_geojson(text: str | bytes) -> Any:
    """JSON text to Python, keeping numbers as typed (Decimal) so precision can be judged."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise GeometryError(
            [
                Finding(
                    "not_json",
                    gettext_noop("is not JSON: %(error)s (line %(line)s, column %(column)s)"),
                    {"error": error.msg, "line": str(error.lineno), "column": str(error.colno)},
                )
            ]
        ) from None
    except (UnicodeDecodeError, RecursionError):
        raise GeometryError(
            [Finding("not_json", gettext_noop("is not JSON text in UTF-8"))]
        ) from None


def check_geometry(value: Any, *, declared_area_ha: Decimal | None = None) -> CheckedGeometry:
    """Check a plot's geometry: a GeoJSON geometry (or a Feature holding one), as text or as
    parsed JSON. Numbers parsed as Decimal keep their typed precision (see `parse_geojson`)."""
    findings: list[Finding] = []
    try:
        geometry = _unwrap(parse_geojson(value) if isinstance(value, str | bytes) else value)
        kind = _geometry_type(geometry)
        coordinates = _structure(kind, geometry.get("coordinates"))
        findings += _precision(coordinates)
        findings += _location(coordinates)
        findings += _rings(kind, coordinates)
        if kind == "Point":
            findings += _point_rule(declared_area_ha)
        if any(f.is_error for f in findings):
            raise GeometryError(findings)
        shape = _shape(kind, coordinates)
        findings += _validity(kind, shape)
        if any(f.is_error for f in findings):
            raise GeometryError(findings)
    except GeometryError as refused:
        return CheckedGeometry(findings=tuple(_unique(findings + refused.findings)))

    if kind == "Point":
        area_ha = declared_area_ha
    else:
        area_ha = Decimal(str(round(geodesic_area_m2(shape) / SQUARE_METRES_PER_HECTARE, 4)))
        findings += _area_rules(area_ha, declared_area_ha)
    centroid = shape.centroid
    return CheckedGeometry(
        findings=tuple(_unique(findings)),
        geometry={"type": kind, "coordinates": _as_floats(coordinates)},
        shape=shape,
        area_ha=area_ha,
        centroid=(centroid.x, centroid.y),
        bbox=shape.bounds,
    )


def geodesic_area_m2(shape: BaseGeometry) -> float:
    """Area on the WGS 84 ellipsoid of the polygons in `shape`, holes subtracted; lines and
    points count nothing. Ring orientation does not matter."""
    total = 0.0
    for polygon in _polygons(shape):
        total += abs(_ring_area(polygon.exterior.coords))
        total -= sum(abs(_ring_area(ring.coords)) for ring in polygon.interiors)
    return total


def to_shape(geometry: Mapping[str, Any]) -> BaseGeometry:
    """A stored (already checked) GeoJSON geometry as a shapely geometry."""
    kind = geometry["type"]
    return _shape(kind, geometry["coordinates"])


def round_geometry(geometry: Mapping[str, Any], decimals: int = REQUIRED_DECIMALS) -> dict:
    """The geometry with every coordinate rounded, as an export writes it."""
    return {"type": geometry["type"], "coordinates": _round(geometry["coordinates"], decimals)}


@dataclass(frozen=True)
class Neighbour:
    """Another plot an overlap is measured against."""

    label: str
    geometry: Mapping[str, Any]
    area_ha: Decimal | None = None


def overlap_findings(
    checked: CheckedGeometry, neighbours: Iterable[Neighbour], *, limit: float = OVERLAP_LIMIT
) -> list[Finding]:
    """Overlaps of a checked geometry with other plots: above `limit` of the smaller plot's
    area it is an error, any smaller overlap a warning. Points are compared by position."""
    if checked.shape is None:
        return []
    findings: list[Finding] = []
    subject = checked.shape
    subject_m2 = geodesic_area_m2(subject)
    for neighbour in neighbours:
        other = to_shape(neighbour.geometry)
        if not subject.intersects(other):
            continue
        if subject.geom_type == "Point" or other.geom_type == "Point":
            findings.append(
                Finding(
                    "point_in_plot",
                    gettext_noop("lies on plot %(plot)s: is it the same plot recorded twice?"),
                    {"plot": neighbour.label},
                    severity="warning",
                )
            )
            continue
        shared_m2 = geodesic_area_m2(subject.intersection(other))
        if shared_m2 <= 0:
            continue
        smaller_m2 = min(subject_m2, geodesic_area_m2(other))
        share = shared_m2 / smaller_m2 if smaller_m2 else 1.0
        params = {
            "plot": neighbour.label,
            "area": f"{shared_m2 / SQUARE_METRES_PER_HECTARE:.4f}",
            "share": f"{share * 100:.1f}",
            "limit": f"{limit * 100:g}",
        }
        if share > limit:
            findings.append(
                Finding(
                    "overlap",
                    gettext_noop(
                        "overlaps plot %(plot)s by %(area)s ha, %(share)s %% of the smaller "
                        "plot (at most %(limit)s %% is accepted)"
                    ),
                    params,
                )
            )
        else:
            findings.append(
                Finding(
                    "overlap_small",
                    gettext_noop(
                        "shares %(area)s ha with plot %(plot)s (%(share)s %% of the smaller "
                        "plot, within the %(limit)s %% accepted)"
                    ),
                    params,
                    severity="warning",
                )
            )
    return findings


# --- the checks, in the order a person would fix them -------------------------------------


def _unwrap(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise GeometryError(
            [Finding("not_geojson", gettext_noop("is not a GeoJSON object (a JSON object)"))]
        )
    kind = value.get("type")
    if kind == "Feature":
        geometry = value.get("geometry")
        if geometry is None:
            raise GeometryError(
                [
                    Finding(
                        "no_geometry", gettext_noop("the feature has no geometry"), path="geometry"
                    )
                ]
            )
        return _unwrap(geometry)
    if kind == "FeatureCollection":
        features = value.get("features")
        if isinstance(features, list) and len(features) == 1:
            return _unwrap(features[0])
        raise GeometryError(
            [
                Finding(
                    "collection",
                    gettext_noop(
                        "is a FeatureCollection: give one plot's geometry here, and import a "
                        "file for several plots"
                    ),
                    path="type",
                )
            ]
        )
    return value


def _geometry_type(geometry: Mapping[str, Any]) -> str:
    kind = geometry.get("type")
    if kind in SUPPORTED_TYPES:
        return kind
    if kind in GEOJSON_TYPES:
        raise GeometryError(
            [
                Finding(
                    "unsupported_type",
                    gettext_noop(
                        "is a %(type)s: a plot is a Polygon, a MultiPolygon, or a Point for a "
                        "plot of 4 ha or less"
                    ),
                    {"type": str(kind)},
                    path="type",
                )
            ]
        )
    raise GeometryError(
        [
            Finding(
                "not_geojson",
                gettext_noop("has no GeoJSON geometry type (Polygon, MultiPolygon or Point)"),
                {"type": str(kind)},
                path="type",
            )
        ]
    )


def _structure(kind: str, coordinates: Any) -> Any:
    """The coordinates, nested as the type requires, each position 2 or 3 finite numbers."""
    problems: list[Finding] = []

    def position(value: Any, path: str) -> None:
        if (
            not isinstance(value, list | tuple)
            or len(value) not in (2, 3)
            or not all(_is_number(n) for n in value)
        ):
            problems.append(
                Finding(
                    "bad_position",
                    gettext_noop(
                        "is not a position: expected [longitude, latitude] as two numbers"
                    ),
                    path=path,
                )
            )

    def listed(value: Any, path: str, what: str) -> bool:
        if isinstance(value, list | tuple) and value:
            return True
        problems.append(
            Finding(
                "bad_structure",
                gettext_noop("must be a non-empty list of %(what)s"),
                {"what": what},
                path=path,
            )
        )
        return False

    def polygon(value: Any, path: str) -> None:
        if listed(value, path, "rings"):
            for r, ring in enumerate(value):
                if listed(ring, f"{path}[{r}]", "positions"):
                    for p, pos in enumerate(ring):
                        position(pos, f"{path}[{r}][{p}]")

    if coordinates is None:
        problems.append(
            Finding("bad_structure", gettext_noop("has no coordinates"), path="coordinates")
        )
    elif kind == "Point":
        position(coordinates, "coordinates")
    elif kind == "Polygon":
        polygon(coordinates, "coordinates")
    elif listed(coordinates, "coordinates", "polygons"):
        for i, part in enumerate(coordinates):
            polygon(part, f"coordinates[{i}]")
    if problems:
        raise GeometryError(problems[:20])
    return coordinates


def _is_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    return math.isfinite(value)


def _positions(kind: str, coordinates: Any) -> Iterator[tuple[str, Any]]:
    if kind == "Point":
        yield "coordinates", coordinates
        return
    polygons = [coordinates] if kind == "Polygon" else coordinates
    prefix = "coordinates" if kind == "Polygon" else "coordinates[{i}]"
    for i, rings in enumerate(polygons):
        for r, ring in enumerate(rings):
            for p, pos in enumerate(ring):
                yield f"{prefix.format(i=i)}[{r}][{p}]", pos


def _decimals(value: Any) -> int:
    if isinstance(value, int):
        return 0
    try:
        exponent = Decimal(value if isinstance(value, Decimal) else repr(value)).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _precision(coordinates: Any) -> list[Finding]:
    # Judged on the whole geometry: one coordinate may end in zeros by chance (108.100000 read
    # as a float is 108.1), all of them only when the source rounded them.
    positions = list(_flatten(coordinates))
    most = max((_decimals(n) for pos in positions for n in pos[:2]), default=0)
    if most >= REQUIRED_DECIMALS:
        return []
    metres = 111_320 / 10**most
    return [
        Finding(
            "precision",
            gettext_noop(
                "coordinates have %(decimals)s decimal places; at least %(required)s are needed "
                "(%(decimals)s places place a point only to within about %(metres)s m)"
            ),
            {
                "decimals": str(most),
                "required": str(REQUIRED_DECIMALS),
                "metres": f"{metres:.0f}" if metres >= 1 else f"{metres:.2g}",
            },
            path="coordinates",
        )
    ]


def _flatten(coordinates: Any) -> Iterator[Any]:
    if coordinates and _is_number(coordinates[0]):
        yield coordinates
        return
    for item in coordinates:
        yield from _flatten(item)


def _location(coordinates: Any) -> list[Finding]:
    positions = [(float(pos[0]), float(pos[1])) for pos in _flatten(coordinates)]
    outside = [i for i, (lon, lat) in enumerate(positions) if not in_viet_nam(lon, lat)]
    if not outside:
        return []
    paths = _paths_of(coordinates)
    first = outside[0]
    lon, lat = positions[first]
    params = {"lon": _show(lon), "lat": _show(lat), "count": str(len(outside))}
    if all(in_viet_nam(lat_, lon_) for lon_, lat_ in positions):
        return [
            Finding(
                "swapped",
                gettext_noop(
                    "longitude and latitude are swapped: GeoJSON positions are [longitude, "
                    "latitude], so Viet Nam is about [108, 12], and [%(lon)s, %(lat)s] is "
                    "read as longitude %(lon)s"
                ),
                params,
                path=paths[first],
            )
        ]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return [
            Finding(
                "not_wgs84",
                gettext_noop(
                    "[%(lon)s, %(lat)s] is not a WGS 84 longitude and latitude in degrees "
                    "(projected coordinates such as VN-2000 metres must be converted first)"
                ),
                params,
                path=paths[first],
            )
        ]
    return [
        Finding(
            "outside_viet_nam",
            gettext_noop(
                "[%(lon)s, %(lat)s] is outside Viet Nam (longitude 102.1 to 109.5, latitude "
                "8.1 to 23.4, and the offshore islands); %(count)s position(s) are outside"
            ),
            params,
            path=paths[first],
        )
    ]


def _paths_of(coordinates: Any, path: str = "coordinates") -> list[str]:
    if coordinates and _is_number(coordinates[0]):
        return [path]
    paths: list[str] = []
    for i, item in enumerate(coordinates):
        paths += _paths_of(item, f"{path}[{i}]")
    return paths


def _show(number: float) -> str:
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _rings(kind: str, coordinates: Any) -> list[Finding]:
    if kind == "Point":
        return []
    findings: list[Finding] = []
    polygons = (
        [("coordinates", coordinates)]
        if kind == "Polygon"
        else [(f"coordinates[{i}]", part) for i, part in enumerate(coordinates)]
    )
    for prefix, rings in polygons:
        for r, ring in enumerate(rings):
            findings += _ring(ring, f"{prefix}[{r}]")
        if len(rings) > 1:
            findings.append(
                Finding(
                    "holes",
                    gettext_noop(
                        "has %(count)s hole(s): the EU information system does not process "
                        "holes, so the hole counts as farmed land there (send a ring-shaped "
                        "plot as two halves)"
                    ),
                    {"count": str(len(rings) - 1)},
                    path=f"{prefix}[1]",
                    severity="warning",
                )
            )
    return findings


def _ring(ring: Any, path: str) -> list[Finding]:
    findings: list[Finding] = []
    if len(ring) < 4:
        findings.append(
            Finding(
                "too_few_positions",
                gettext_noop(
                    "has %(count)s position(s): a ring needs at least 4 (three corners, and "
                    "the first repeated at the end)"
                ),
                {"count": str(len(ring))},
                path=path,
            )
        )
    first, last = ring[0][:2], ring[-1][:2]
    if len(ring) > 1 and [Decimal(str(n)) for n in first] != [Decimal(str(n)) for n in last]:
        findings.append(
            Finding(
                "not_closed",
                gettext_noop(
                    "is not closed: the last position %(last)s must repeat the first %(first)s"
                ),
                {"first": _show_position(first), "last": _show_position(last)},
                path=f"{path}[{len(ring) - 1}]",
            )
        )
    rounded = [tuple(round(float(n), REQUIRED_DECIMALS) for n in pos[:2]) for pos in ring]
    for p in range(1, len(rounded)):
        if rounded[p] == rounded[p - 1]:
            findings.append(
                Finding(
                    "duplicate_vertex",
                    gettext_noop(
                        "repeats the previous position %(position)s once rounded to 6 decimal "
                        "places; remove one of the two"
                    ),
                    {"position": _show_position(rounded[p])},
                    path=f"{path}[{p}]",
                )
            )
    return findings


def _show_position(position: Any) -> str:
    return "[" + ", ".join(_show(float(n)) for n in position[:2]) + "]"


def _as_floats(coordinates: Any) -> Any:
    if coordinates and _is_number(coordinates[0]):
        return [float(coordinates[0]), float(coordinates[1])]
    return [_as_floats(item) for item in coordinates]


def _round(coordinates: Any, decimals: int) -> Any:
    if coordinates and _is_number(coordinates[0]):
        return [round(float(n), decimals) for n in coordinates[:2]]
    return [_round(item, decimals) for item in coordinates]


def _shape(kind: str, coordinates: Any) -> BaseGeometry:
    floats = _as_floats(coordinates)
    if kind == "Point":
        return Point(floats)
    if kind == "Polygon":
        return Polygon(floats[0], floats[1:])
    return MultiPolygon([Polygon(part[0], part[1:]) for part in floats])


_AT = re.compile(r"^(?P<what>[^\[]+)\[(?P<lon>\S+) (?P<lat>\S+)\]$")


def _validity(kind: str, shape: BaseGeometry) -> list[Finding]:
    if kind == "Point":
        return []
    parts = (
        [("coordinates", shape)]
        if kind == "Polygon"
        else [(f"coordinates[{i}]", part) for i, part in enumerate(shape.geoms)]
    )
    findings = [f for path, part in parts for f in _explain(part, path)]
    if findings:
        return findings
    if not shape.is_valid:
        return [
            Finding(
                "parts_overlap",
                gettext_noop("its polygons overlap or touch along a line: %(detail)s"),
                {"detail": explain_validity(shape)},
                path="coordinates",
            )
        ]
    rounded = _shape(kind, _round(_coordinates_of(shape), REQUIRED_DECIMALS))
    if not rounded.is_valid:
        return [
            Finding(
                "invalid_when_rounded",
                gettext_noop(
                    "becomes invalid once rounded to 6 decimal places, as the EU information "
                    "system rounds it: %(detail)s"
                ),
                {"detail": explain_validity(rounded)},
                path="coordinates",
            )
        ]
    return []


def _explain(polygon: BaseGeometry, path: str) -> list[Finding]:
    if polygon.is_valid:
        return []
    detail = explain_validity(polygon)
    match = _AT.match(detail)
    params = {"detail": detail}
    if match:
        params |= {"lon": _show(float(match["lon"])), "lat": _show(float(match["lat"]))}
    if match and match["what"].strip() == "Self-intersection":
        return [
            Finding(
                "self_intersection",
                gettext_noop(
                    "crosses itself near [%(lon)s, %(lat)s]: the corners are not in order "
                    "around the plot (a bow-tie shape)"
                ),
                params,
                path=path,
            )
        ]
    if match and "Ring Self-intersection" in match["what"]:
        return [
            Finding(
                "ring_self_intersection",
                gettext_noop("a ring touches itself at [%(lon)s, %(lat)s]"),
                params,
                path=path,
            )
        ]
    return [
        Finding(
            "invalid_polygon",
            gettext_noop("is not a valid polygon: %(detail)s"),
            params,
            path=path,
        )
    ]


def _coordinates_of(shape: BaseGeometry) -> Any:
    def polygon(p: Polygon) -> list:
        return [list(map(list, p.exterior.coords))] + [
            list(map(list, r.coords)) for r in p.interiors
        ]

    if isinstance(shape, MultiPolygon):
        return [polygon(p) for p in shape.geoms]
    return polygon(shape)


def _polygons(shape: BaseGeometry) -> Iterator[Polygon]:
    if isinstance(shape, Polygon):
        yield shape
    elif hasattr(shape, "geoms"):
        for part in shape.geoms:
            yield from _polygons(part)


def _ring_area(coords: Any) -> float:
    lons, lats = zip(*((c[0], c[1]) for c in coords), strict=True)
    area, _perimeter = WGS84.polygon_area_perimeter(lons, lats)
    return area


def _point_rule(declared_area_ha: Decimal | None) -> list[Finding]:
    if declared_area_ha is None:
        return [
            Finding(
                "point_needs_area",
                gettext_noop(
                    "a point has no area of its own: give the plot's declared area (a point "
                    "may stand for a plot of at most 4 ha)"
                ),
                field="declared_area_ha",
            )
        ]
    if declared_area_ha > POINT_MAX_HA:
        return [
            Finding(
                "point_too_large",
                gettext_noop(
                    "a plot of %(area)s ha must be mapped as a polygon: a point may stand for "
                    "a plot of at most 4 ha"
                ),
                {"area": f"{declared_area_ha.normalize():f}"},
                path="type",
            )
        ]
    if declared_area_ha < MIN_AREA_HA:
        return [_too_small(declared_area_ha, "declared_area_ha")]
    return []


def _too_small(area_ha: Decimal, field_name: str) -> Finding:
    return Finding(
        "area_too_small",
        gettext_noop("%(area)s ha is below the smallest area accepted, 0.0001 ha (1 m²)"),
        {"area": f"{area_ha:f}"},
        field=field_name,
    )


def _area_rules(area_ha: Decimal, declared_area_ha: Decimal | None) -> list[Finding]:
    if area_ha < MIN_AREA_HA:
        return [_too_small(area_ha, "geometry")]
    if declared_area_ha is None or not area_ha:
        return []
    difference = abs(declared_area_ha - area_ha) / area_ha
    if difference <= DECLARED_AREA_TOLERANCE:
        return []
    return [
        Finding(
            "declared_area_differs",
            gettext_noop(
                "the declared %(declared)s ha differs from the mapped %(mapped)s ha by "
                "%(percent)s %%"
            ),
            {
                "declared": f"{declared_area_ha.normalize():f}",
                "mapped": f"{area_ha:f}",
                "percent": f"{difference * 100:.0f}",
            },
            severity="warning",
            field="declared_area_ha",
        )
    ]


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    unique = []
    for finding in findings:
        key = (finding.code, finding.path, finding.field)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return unique
