"""The EU Deforestation Regulation's rules for a due-diligence statement, as data and pure
functions (no Django): which HS codes it covers, and the geolocation file the EU information
system reads.

Sources, kept beside the numbers they give:
- Regulation (EU) 2023/1115 (EUDR): Annex I (commodities and HS codes), Article 2(13)
  (cut-off date 31 December 2020), Article 2(28) (geolocation: a point suffices for plots
  under 4 ha, polygons above, cattle excepted), Article 9(1)(d).
- Regulation (EU) 2025/2650: application from 30 December 2026 (large and medium operators)
  and 30 June 2027 (micro and small).
- The EU information system's geolocation file rules (EUDR API specification and its
  GeoJSON guidance): RFC 7946 FeatureCollection, [longitude, latitude] in WGS 84, at least
  6 decimal places, holes not processed, the properties ``ProducerName``,
  ``ProducerCountry``, ``ProductionPlace`` and ``Area`` (hectares, a number), at most 25 MB
  of geolocation per statement, 1,000 producers per commodity and 10,000 per statement.

Geometry itself is checked by `coopchain.lib.geometry` (the plots' own checks); this module
adds what an export needs beyond them: the rounding the EU system applies, holes split
away, the 4 ha point rule against the plot's area, duplicates and overlaps between the
plots of one statement, producer counts and file splitting.
"""

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shapely import STRtree
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import split

from coopchain.lib.geometry import (
    MIN_AREA_HA,
    POINT_MAX_HA,
    REQUIRED_DECIMALS,
    Finding,
    Neighbour,
    check_geometry,
    gettext_noop,
    overlap_findings,
    round_geometry,
    to_shape,
)

REGULATION = "Regulation (EU) 2023/1115"
# Art. 2(13): deforestation-free means no deforestation after this day.
CUTOFF_DATE = date(2020, 12, 31)
# Regulation (EU) 2025/2650: when large and medium operators must comply.
APPLIES_FROM = date(2026, 12, 30)
APPLIES_FROM_SMALL = date(2027, 6, 30)
# The EU information system's limits for one due-diligence statement.
MAX_GEOLOCATION_BYTES = 25 * 1024 * 1024
MAX_PRODUCERS_PER_COMMODITY = 1_000
MAX_PRODUCERS_PER_STATEMENT = 10_000
# The country of production written in ProducerCountry (ISO 3166-1 alpha-2).
VIET_NAM = "VN"
PROPERTY_NAMES = ("ProducerName", "ProducerCountry", "ProductionPlace", "Area")


@dataclass(frozen=True)
class Heading:
    """An Annex I line: an HS heading or subheading, and whether only part of it is covered
    ("ex": only goods made from the commodity, such as rubber gloves but not plastic ones)."""

    code: str
    commodity: str
    description: str
    partial: bool = False


# Regulation (EU) 2023/1115, Annex I (HS codes of the Combined Nomenclature, 2023).
ANNEX_I: tuple[Heading, ...] = (
    Heading("010221", "cattle", "Live pure-bred breeding cattle"),
    Heading("010229", "cattle", "Live cattle, other than pure-bred breeding"),
    Heading("0201", "cattle", "Meat of bovine animals, fresh or chilled"),
    Heading("0202", "cattle", "Meat of bovine animals, frozen"),
    Heading("020610", "cattle", "Edible offal of bovine animals, fresh or chilled", True),
    Heading("020622", "cattle", "Edible bovine livers, frozen", True),
    Heading("020629", "cattle", "Other edible bovine offal, frozen", True),
    Heading("160250", "cattle", "Prepared or preserved meat of bovine animals", True),
    Heading("4101", "cattle", "Raw hides and skins of bovine animals", True),
    Heading("4104", "cattle", "Tanned or crust hides and skins of bovine animals", True),
    Heading("4107", "cattle", "Leather of bovine animals", True),
    Heading("1801", "cocoa", "Cocoa beans, whole or broken, raw or roasted"),
    Heading("1802", "cocoa", "Cocoa shells, husks, skins and other cocoa waste"),
    Heading("1803", "cocoa", "Cocoa paste"),
    Heading("1804", "cocoa", "Cocoa butter, fat and oil"),
    Heading("1805", "cocoa", "Cocoa powder, not sweetened"),
    Heading("1806", "cocoa", "Chocolate and other food preparations containing cocoa"),
    Heading("0901", "coffee", "Coffee, roasted or not, decaffeinated or not; husks and skins"),
    Heading("120710", "oil_palm", "Palm nuts and kernels"),
    Heading("1511", "oil_palm", "Palm oil and its fractions"),
    Heading("151321", "oil_palm", "Crude palm kernel and babassu oil", True),
    Heading("151329", "oil_palm", "Palm kernel and babassu oil and fractions, refined", True),
    Heading("230660", "oil_palm", "Oilcake of palm nuts or kernels"),
    Heading("290545", "oil_palm", "Glycerol", True),
    Heading("291570", "oil_palm", "Palmitic acid, stearic acid, their salts and esters"),
    Heading("291590", "oil_palm", "Other saturated acyclic monocarboxylic acids", True),
    Heading("382311", "oil_palm", "Industrial stearic acid", True),
    Heading("382312", "oil_palm", "Industrial oleic acid", True),
    Heading("382319", "oil_palm", "Other industrial fatty acids", True),
    Heading("382370", "oil_palm", "Industrial fatty alcohols", True),
    Heading("4001", "rubber", "Natural rubber, balata, gutta-percha, guayule, chicle"),
    Heading("4005", "rubber", "Compounded rubber, unvulcanised", True),
    Heading("4006", "rubber", "Other forms and articles of unvulcanised rubber", True),
    Heading("4007", "rubber", "Vulcanised rubber thread and cord", True),
    Heading("4008", "rubber", "Plates, sheets, strip, rods of vulcanised rubber", True),
    Heading("4010", "rubber", "Conveyor or transmission belts of vulcanised rubber", True),
    Heading("4011", "rubber", "New pneumatic tyres, of rubber", True),
    Heading("4012", "rubber", "Retreaded or used pneumatic tyres of rubber", True),
    Heading("4013", "rubber", "Inner tubes, of rubber", True),
    Heading("4015", "rubber", "Articles of apparel of vulcanised rubber (gloves)", True),
    Heading("4016", "rubber", "Other articles of vulcanised rubber", True),
    Heading("4017", "rubber", "Hard rubber and articles of hard rubber", True),
    Heading("1201", "soya", "Soya beans, whether or not broken"),
    Heading("120810", "soya", "Flours and meals of soya beans"),
    Heading("1507", "soya", "Soya-bean oil and its fractions"),
    Heading("2304", "soya", "Oilcake and other solid residues of soya-bean oil"),
    *(
        Heading(f"44{n:02d}", "wood", "Wood and articles of wood (chapter 44)")
        for n in range(1, 22)
    ),
    Heading("47", "wood", "Pulp of wood or of other fibrous cellulosic material"),
    Heading("48", "wood", "Paper and paperboard; articles of paper pulp, paper or board"),
    Heading("4901", "wood", "Printed books, brochures, leaflets", True),
    Heading("940330", "wood", "Wooden office furniture"),
    Heading("940340", "wood", "Wooden kitchen furniture"),
    Heading("940350", "wood", "Wooden bedroom furniture"),
    Heading("940360", "wood", "Other wooden furniture"),
    Heading("940391", "wood", "Parts of furniture, of wood"),
    Heading("940610", "wood", "Prefabricated buildings of wood"),
)

COMMODITIES = ("cattle", "cocoa", "coffee", "oil_palm", "rubber", "soya", "wood")


def hs_digits(code: str) -> str:
    """The digits of an HS or CN code as people write it ("0901.11", "0901 11 00")."""
    return re.sub(r"\D", "", code or "")


def annex_heading(hs_code: str) -> Heading | None:
    """The Annex I line covering `hs_code` (the longest matching code), or None when the
    regulation does not cover it."""
    digits = hs_digits(hs_code)
    if len(digits) < 2:
        return None
    found = [h for h in ANNEX_I if digits.startswith(h.code) or h.code.startswith(digits)]
    # A 4-digit code asked about a 6-digit line (e.g. 0102 for 010221) is covered only in part.
    exact = [h for h in found if digits.startswith(h.code)]
    if exact:
        return max(exact, key=lambda h: len(h.code))
    if found and len(digits) >= 4:
        best = max(found, key=lambda h: len(h.code))
        return Heading(digits, best.commodity, best.description, partial=True)
    return None


def commodity_for_hs(hs_code: str) -> str:
    """The EUDR commodity of an HS code ("coffee", …), or "" when it is not covered."""
    heading = annex_heading(hs_code)
    return heading.commodity if heading else ""


# --- one plot as a feature of the geolocation file -----------------------------------------


@dataclass(frozen=True)
class PlotPlace:
    """What the statement needs of one plot of origin."""

    key: str  # how people name the plot (its code, with the cooperative's when needed)
    geometry: Any  # GeoJSON geometry as stored; None or {} when the plot has none
    area_ha: Decimal | None
    producer_name: str
    production_place: str
    producer_key: str = ""  # one producer (household) may farm several plots
    country: str = VIET_NAM
    commodity: str = ""
    cattle: bool = False


@dataclass(frozen=True)
class PreparedPlot:
    """A plot ready for the file: its feature(s) (a ring-shaped plot gives one per piece),
    or the findings that keep it out."""

    place: PlotPlace
    findings: tuple[Finding, ...]
    features: tuple[dict[str, Any], ...] = ()
    shape: BaseGeometry | None = field(default=None, compare=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def ok(self) -> bool:
        return bool(self.features) and not self.errors


def _refused(place: PlotPlace, *findings: Finding) -> PreparedPlot:
    return PreparedPlot(place, tuple(findings))


def prepare_plot(place: PlotPlace) -> PreparedPlot:
    """The plot as the EU information system will read it: rounded to 6 decimal places and
    checked again, holes split away, and the point rule applied to the plot's area."""
    geometry = place.geometry
    if not geometry:
        return _refused(
            place,
            Finding(
                "no_geolocation",
                gettext_noop(
                    "has no geolocation: map the plot (a polygon, or a point for 4 ha or less)"
                ),
            ),
        )
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    checked = check_geometry(geometry, declared_area_ha=place.area_ha if kind == "Point" else None)
    if not checked.ok:
        return _refused(place, *checked.findings)
    findings = [f for f in checked.findings if f.code not in ("holes", "declared_area_differs")]
    area_ha = place.area_ha if place.area_ha is not None else checked.area_ha
    if area_ha is None or area_ha < MIN_AREA_HA:
        return _refused(
            place,
            Finding(
                "area_too_small",
                gettext_noop("has no area of at least 0.0001 ha to declare"),
                field="area_ha",
            ),
        )
    rounded = round_geometry(checked.geometry)
    pieces = [rounded]
    if kind == "Point" and area_ha > POINT_MAX_HA and not place.cattle:
        return _refused(
            place,
            Finding(
                "point_too_large",
                gettext_noop(
                    "is a point, but the plot has %(area)s ha: a point may stand for at most "
                    "4 ha, so map it as a polygon"
                ),
                {"area": f"{area_ha.normalize():f}"},
                path="type",
            ),
        )
    if kind != "Point":
        shape = to_shape(rounded)
        if any(p.interiors for p in _polygon_parts(shape)):
            pieces = [round_geometry(_geojson(p)) for p in split_holes(shape)]
            findings.append(
                Finding(
                    "holes_split",
                    gettext_noop(
                        "has a hole, which the EU information system does not process: it is "
                        "sent as %(count)s pieces around the hole"
                    ),
                    {"count": str(len(pieces))},
                    severity="warning",
                )
            )
    features = []
    for piece in pieces:
        again = check_geometry(
            _as_written(piece), declared_area_ha=area_ha if kind == "Point" else None
        )
        if not again.ok:
            return _refused(
                place,
                *(
                    Finding(
                        "invalid_when_rounded",
                        gettext_noop(
                            "is no longer valid once rounded to 6 decimal places as the EU "
                            "information system reads it: %(reason)s"
                        ),
                        {"reason": f.reason},
                        path=f.path,
                    )
                    for f in again.errors
                ),
            )
        piece_area = area_ha if len(pieces) == 1 else again.area_ha
        features.append(
            {
                "type": "Feature",
                "geometry": piece,
                "properties": {
                    "ProducerName": place.producer_name,
                    "ProducerCountry": place.country,
                    "ProductionPlace": place.production_place,
                    "Area": float(round(piece_area, 4)),
                },
            }
        )
    return PreparedPlot(place, tuple(findings), tuple(features), to_shape(rounded))


_SIX_PLACES = Decimal(1).scaleb(-REQUIRED_DECIMALS)


def _as_written(geometry: dict[str, Any]) -> dict[str, Any]:
    """The rounded geometry with its numbers as the file gives them to the EU system, which
    pads each to 6 decimal places: so 108.1 is read as 108.100000, not as imprecise."""

    def places(value: Any) -> Any:
        if isinstance(value, list) and value and isinstance(value[0], int | float):
            return [Decimal(repr(float(n))).quantize(_SIX_PLACES) for n in value]
        return [places(item) for item in value]

    return {"type": geometry["type"], "coordinates": places(geometry["coordinates"])}


def _polygon_parts(shape: BaseGeometry) -> list[Polygon]:
    if isinstance(shape, Polygon):
        return [shape]
    if isinstance(shape, MultiPolygon):
        return list(shape.geoms)
    return []


def split_holes(shape: BaseGeometry) -> list[Polygon]:
    """The polygon(s) as pieces without holes: each part with a hole is cut by a north–south
    line through the hole, again until no piece has one (a ring becomes two halves). The
    pieces are separate polygons: joined in one MultiPolygon they would touch along the cut,
    which is not valid."""
    pieces: list[Polygon] = []
    pending = _polygon_parts(shape)
    while pending:
        part = pending.pop()
        if not part.interiors:
            pieces.append(orient(part))
            continue
        x = Polygon(part.interiors[0]).representative_point().x
        _min_x, min_y, _max_x, max_y = part.bounds
        cut = split(part, LineString([(x, min_y - 1), (x, max_y + 1)]))
        pending.extend(p for g in cut.geoms for p in _polygon_parts(g))
    return sorted(pieces, key=lambda p: p.bounds)


def _geojson(shape: BaseGeometry) -> dict[str, Any]:
    return json.loads(json.dumps(mapping(shape)))  # tuples to lists, as GeoJSON text has them


# --- the plots of one statement together ----------------------------------------------------


def between_plots(prepared: Sequence[PreparedPlot]) -> dict[str, list[Finding]]:
    """Duplicates and overlaps between the statement's plots, by plot key; each pair is
    reported on the later plot, naming the earlier one. Overlaps above 5 % of the smaller
    plot are errors (the same land declared twice), smaller ones warnings."""
    usable = [p for p in prepared if p.ok and p.shape is not None]
    found: dict[str, list[Finding]] = {}
    if len(usable) < 2:
        return found
    tree = STRtree([p.shape for p in usable])
    seen: dict[str, str] = {}
    for index, plot in enumerate(usable):
        text = json.dumps([f["geometry"] for f in plot.features], sort_keys=True)
        if text in seen:
            found.setdefault(plot.place.key, []).append(
                Finding(
                    "duplicate",
                    gettext_noop("has the same geolocation as plot %(plot)s"),
                    {"plot": seen[text]},
                )
            )
            continue
        seen[text] = plot.place.key
        earlier = [usable[int(j)] for j in tree.query(plot.shape) if int(j) < index]
        checked = check_geometry(
            _as_written(_geojson(plot.shape)), declared_area_ha=plot.place.area_ha
        )
        neighbours = [Neighbour(o.place.key, _geojson(o.shape)) for o in earlier]
        for finding in overlap_findings(checked, neighbours):
            found.setdefault(plot.place.key, []).append(finding)
    return found


def producer_findings(prepared: Sequence[PreparedPlot]) -> list[Finding]:
    """The statement's producer counts against the EU information system's limits."""
    producers: dict[str, set[str]] = {}
    for plot in prepared:
        producers.setdefault(plot.place.commodity, set()).add(
            plot.place.producer_key or plot.place.producer_name
        )
    findings = []
    for commodity, names in sorted(producers.items()):
        if len(names) > MAX_PRODUCERS_PER_COMMODITY:
            findings.append(
                Finding(
                    "too_many_producers",
                    gettext_noop(
                        "%(count)s producers of %(commodity)s: a statement takes at most "
                        "%(limit)s per commodity; split the shipment into several statements"
                    ),
                    {
                        "count": str(len(names)),
                        "commodity": commodity or "?",
                        "limit": str(MAX_PRODUCERS_PER_COMMODITY),
                    },
                )
            )
    total = len(set().union(*producers.values())) if producers else 0
    if total > MAX_PRODUCERS_PER_STATEMENT:
        findings.append(
            Finding(
                "too_many_producers",
                gettext_noop(
                    "%(count)s producers: a statement takes at most %(limit)s; split the "
                    "shipment into several statements"
                ),
                {"count": str(total), "limit": str(MAX_PRODUCERS_PER_STATEMENT)},
            )
        )
    return findings


def feature_collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def dump(collection: dict[str, Any]) -> str:
    """The file's text: compact, UTF-8 names kept as written."""
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


class FileTooLarge(ValueError):
    def __init__(self, key: str, size: int) -> None:
        super().__init__(f"{key}: {size} bytes")
        self.key = key
        self.size = size


def split_files(
    features: Sequence[dict[str, Any]],
    *,
    keys: Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> list[str]:
    """The features as one or more FeatureCollection texts of at most `max_bytes` (UTF-8)
    each, in order. Raises FileTooLarge for a single feature larger than the limit."""
    max_bytes = max_bytes or MAX_GEOLOCATION_BYTES
    empty = len(dump(feature_collection([])).encode())
    files: list[list[str]] = [[]]
    size = empty
    for index, feature in enumerate(features):
        text = dump(feature)
        length = len(text.encode())
        if empty + length > max_bytes:
            raise FileTooLarge(keys[index] if keys else str(index), length)
        added = length + (1 if files[-1] else 0)
        if size + added > max_bytes:
            files.append([])
            size = empty
            added = length
        files[-1].append(text)
        size += added
    return ['{"type":"FeatureCollection","features":[' + ",".join(part) + "]}" for part in files]


def decimals_of(geometry: dict[str, Any]) -> int:
    """The fewest decimal places any coordinate of an exported geometry is written with
    (for tests and reports: the file must carry at least REQUIRED_DECIMALS)."""
    text = json.dumps(geometry["coordinates"])
    places = [len(m) for m in re.findall(r"\.(\d+)", text)]
    return min(places) if places else 0


__all__ = [
    "ANNEX_I",
    "APPLIES_FROM",
    "CUTOFF_DATE",
    "MAX_GEOLOCATION_BYTES",
    "MAX_PRODUCERS_PER_COMMODITY",
    "MAX_PRODUCERS_PER_STATEMENT",
    "PROPERTY_NAMES",
    "REGULATION",
    "REQUIRED_DECIMALS",
    "VIET_NAM",
    "FileTooLarge",
    "Heading",
    "PlotPlace",
    "PreparedPlot",
    "annex_heading",
    "between_plots",
    "commodity_for_hs",
    "dump",
    "feature_collection",
    "prepare_plot",
    "producer_findings",
    "split_files",
    "split_holes",
]
