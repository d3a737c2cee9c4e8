"""Plot geometry checks: each rule with a real shape, the area against an independent
computation, and properties that must hold for any polygon."""

import json
import math
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopchain.lib.geometry import (
    CheckedGeometry,
    Neighbour,
    check_geometry,
    geodesic_area_m2,
    overlap_findings,
    round_geometry,
    to_shape,
)

# WGS 84 ellipsoid.
A = 6_378_137.0
F = 1 / 298.257223563
B = A * (1 - F)
E = math.sqrt(F * (2 - F))


def quadrangle_area_m2(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Area between two meridians and two parallels on the ellipsoid, from the authalic
    latitude formula (closed form, no geodesic library)."""

    def q(lat: float) -> float:
        s = math.sin(math.radians(lat))
        return s / (1 - E**2 * s**2) + math.log((1 + E * s) / (1 - E * s)) / (2 * E)

    return B**2 * math.radians(lon2 - lon1) / 2 * (q(lat2) - q(lat1))


def polygon(*ring: tuple[float, float], holes: list | None = None) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring], *(holes or [])]}


def codes(checked: CheckedGeometry) -> list[str]:
    return [f.code for f in checked.findings]


# An irregular quadrilateral of about 1.7 ha near Buôn Ma Thuột, corners anticlockwise.
COFFEE_PLOT = polygon(
    (108.031245, 12.705132),
    (108.032411, 12.705087),
    (108.032502, 12.706213),
    (108.031198, 12.706302),
    (108.031245, 12.705132),
)


def test_a_well_drawn_plot_passes_with_its_area_centroid_and_bounding_box():
    checked = check_geometry(COFFEE_PLOT)

    assert checked.ok, checked.findings
    assert checked.findings == ()
    assert Decimal("1.6") < checked.area_ha < Decimal("1.8")
    lon, lat = checked.centroid
    assert 108.0312 < lon < 108.0325
    assert 12.7051 < lat < 12.7063
    assert checked.bbox == (108.031198, 12.705087, 108.032502, 12.706302)


def test_area_of_a_1_km_square_at_the_equator_matches_the_closed_form_within_half_a_percent():
    # 1 km of longitude at the equator is 1000 / 111319.49 degrees; 1 km of latitude ~ 1/110574.
    dlon, dlat = 1000 / 111_319.4908, 1000 / 110_574.3886
    lon0, lat0 = 106.0, 0.0
    square = polygon(
        (lon0, lat0),
        (lon0 + dlon, lat0),
        (lon0 + dlon, lat0 + dlat),
        (lon0, lat0 + dlat),
        (lon0, lat0),
    )
    expected = quadrangle_area_m2(lon0, lat0, lon0 + dlon, lat0 + dlat)

    assert expected == pytest.approx(1_000_000, rel=1e-3)
    assert geodesic_area_m2(to_shape(square)) == pytest.approx(expected, rel=0.005)


def test_area_of_a_plot_in_dak_lak_matches_the_closed_form_within_half_a_percent():
    lon1, lat1, lon2, lat2 = 108.030001, 12.700001, 108.032001, 12.702001
    square = polygon((lon1, lat1), (lon2, lat1), (lon2, lat2), (lon1, lat2), (lon1, lat1))

    checked = check_geometry(square)

    expected_ha = quadrangle_area_m2(lon1, lat1, lon2, lat2) / 10_000
    assert float(checked.area_ha) == pytest.approx(expected_ha, rel=0.005)
    assert float(checked.area_ha) == pytest.approx(4.806, abs=0.001)


def test_a_bow_tie_is_refused_as_crossing_itself_with_where():
    bow_tie = polygon(
        (108.031245, 12.705132),
        (108.032502, 12.706213),
        (108.032411, 12.705087),
        (108.031198, 12.706302),
        (108.031245, 12.705132),
    )

    checked = check_geometry(bow_tie)

    assert codes(checked) == ["self_intersection"]
    assert "crosses itself near [108.03" in checked.errors[0].reason
    assert checked.area_ha is None


def test_swapped_latitude_and_longitude_are_named_as_swapped():
    swapped = {
        "type": "Polygon",
        "coordinates": [[[lat, lon] for lon, lat in COFFEE_PLOT["coordinates"][0]]],
    }

    checked = check_geometry(swapped)

    assert codes(checked) == ["swapped"]
    assert checked.errors[0].path == "coordinates[0][0]"
    assert "swapped" in checked.errors[0].reason


def test_a_plot_outside_viet_nam_is_refused_with_the_first_position_outside():
    in_laos = polygon(
        (101.981245, 19.805132),
        (101.982411, 19.805087),
        (101.982502, 19.806213),
        (101.981245, 19.805132),
    )

    checked = check_geometry(in_laos)

    assert codes(checked) == ["outside_viet_nam"]
    assert "[101.981245, 19.805132] is outside Viet Nam" in checked.errors[0].reason


def test_an_island_plot_is_inside_viet_nam():
    on_truong_sa = {"type": "Point", "coordinates": [114.332321, 10.379512]}

    assert check_geometry(on_truong_sa, declared_area_ha=Decimal("0.2")).ok


def test_projected_coordinates_are_refused_as_not_degrees():
    vn2000 = polygon(
        (500000.0, 1400000.0), (500100.0, 1400000.0), (500100.0, 1400100.0), (500000.0, 1400000.0)
    )

    assert "not_wgs84" in codes(check_geometry(vn2000))


def test_a_5_hectare_point_is_refused_because_a_polygon_is_required():
    point = {"type": "Point", "coordinates": [108.031245, 12.705132]}

    checked = check_geometry(point, declared_area_ha=Decimal("5"))

    assert codes(checked) == ["point_too_large"]
    assert "must be mapped as a polygon" in checked.errors[0].reason


def test_a_point_of_a_small_plot_takes_its_declared_area():
    point = {"type": "Point", "coordinates": [108.031245, 12.705132]}

    checked = check_geometry(point, declared_area_ha=Decimal("0.8"))

    assert checked.ok
    assert checked.area_ha == Decimal("0.8")
    assert checked.centroid == (108.031245, 12.705132)


def test_a_point_without_a_declared_area_is_refused_on_the_declared_area():
    checked = check_geometry({"type": "Point", "coordinates": [108.031245, 12.705132]})

    assert [(f.code, f.field) for f in checked.errors] == [("point_needs_area", "declared_area_ha")]


def test_an_open_ring_is_refused_at_its_last_position():
    open_ring = polygon(*COFFEE_PLOT["coordinates"][0][:-1])

    checked = check_geometry(open_ring)

    assert codes(checked) == ["not_closed"]
    assert checked.errors[0].path == "coordinates[0][3]"


def test_a_ring_of_three_positions_is_refused_as_too_short():
    three = polygon((108.031245, 12.705132), (108.032411, 12.705087), (108.031245, 12.705132))

    checked = check_geometry(three)

    assert "too_few_positions" in codes(checked)
    assert "has 3 position(s)" in checked.errors[0].reason


def test_four_decimals_are_refused_saying_how_many_there_are():
    coarse = polygon(
        (108.0312, 12.7051), (108.0324, 12.7050), (108.0325, 12.7062), (108.0312, 12.7051)
    )

    checked = check_geometry(coarse)

    assert codes(checked) == ["precision"]
    assert checked.errors[0].reason.startswith("coordinates have 4 decimal places")


def test_precision_is_read_as_typed_so_trailing_zeros_count():
    typed = json.dumps(COFFEE_PLOT).replace("108.031245", "108.030000")

    assert "precision" not in codes(check_geometry(typed))


def test_a_line_string_is_refused_as_unsupported():
    line = {"type": "LineString", "coordinates": [[108.031245, 12.705132], [108.032411, 12.705087]]}

    checked = check_geometry(line)

    assert codes(checked) == ["unsupported_type"]
    assert checked.errors[0].reason.startswith("is a LineString")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("{not json", "not_json"),
        ([1, 2], "not_geojson"),
        ({"type": "Square", "coordinates": []}, "not_geojson"),
        ({"type": "Polygon"}, "bad_structure"),
        ({"type": "Polygon", "coordinates": [[[108.1, "12.7"]]]}, "bad_position"),
        ({"type": "Polygon", "coordinates": []}, "bad_structure"),
        ({"type": "Point", "coordinates": [108.1, True]}, "bad_position"),
        ({"type": "Feature", "geometry": None, "properties": {}}, "no_geometry"),
    ],
)
def test_what_is_not_geojson_is_refused_with_a_reason(value, code):
    assert code in codes(check_geometry(value))


def test_a_hole_is_accepted_with_a_warning_and_its_area_subtracted():
    outer = [
        [108.030001, 12.700001],
        [108.033001, 12.700001],
        [108.033001, 12.703001],
        [108.030001, 12.703001],
        [108.030001, 12.700001],
    ]
    hole = [
        [108.031001, 12.701001],
        [108.032001, 12.701001],
        [108.032001, 12.702001],
        [108.031001, 12.702001],
        [108.031001, 12.701001],
    ]

    with_hole = check_geometry({"type": "Polygon", "coordinates": [outer, hole]})
    without = check_geometry({"type": "Polygon", "coordinates": [outer]})

    assert with_hole.ok
    assert [(f.code, f.severity) for f in with_hole.findings] == [("holes", "warning")]
    assert with_hole.area_ha == pytest.approx(
        without.area_ha * Decimal(8) / 9, rel=Decimal("0.001")
    )


def test_vertices_that_collapse_when_rounded_to_6_decimals_are_refused():
    ring = COFFEE_PLOT["coordinates"][0]
    collapsing = polygon(ring[0], (ring[0][0] + 0.0000002, ring[0][1]), *ring[1:])

    checked = check_geometry(collapsing)

    assert codes(checked) == ["duplicate_vertex"]
    assert checked.errors[0].path == "coordinates[0][1]"


def test_a_multipolygon_of_two_fields_adds_both_areas():
    ring = COFFEE_PLOT["coordinates"][0]
    moved = [[lon + 0.01, lat] for lon, lat in ring]
    both = {"type": "MultiPolygon", "coordinates": [[ring], [moved]]}

    checked = check_geometry(both)

    assert checked.ok
    assert checked.area_ha == pytest.approx(
        2 * check_geometry(COFFEE_PLOT).area_ha, rel=Decimal("0.001")
    )


def test_a_declared_area_off_by_more_than_10_percent_is_flagged():
    checked = check_geometry(COFFEE_PLOT, declared_area_ha=Decimal("2.5"))

    assert checked.ok
    assert [(f.code, f.field) for f in checked.warnings] == [
        ("declared_area_differs", "declared_area_ha")
    ]


def test_a_declared_area_within_10_percent_is_not_flagged():
    mapped = check_geometry(COFFEE_PLOT).area_ha

    assert check_geometry(COFFEE_PLOT, declared_area_ha=mapped * Decimal("1.09")).findings == ()


def test_a_feature_is_read_for_its_geometry():
    feature = {"type": "Feature", "properties": {"plot_code": "A1"}, "geometry": COFFEE_PLOT}

    assert check_geometry(feature).ok


def square_at(lon: float, lat: float, side: float = 0.001) -> dict:
    return polygon(
        (lon, lat), (lon + side, lat), (lon + side, lat + side), (lon, lat + side), (lon, lat)
    )


def test_an_overlap_of_3_percent_is_a_warning():
    plot = check_geometry(square_at(108.030001, 12.700001))
    neighbour = Neighbour("B2", square_at(108.030971, 12.700001))  # 0.00003° of 0.001° wide

    findings = overlap_findings(plot, [neighbour])

    assert [(f.code, f.severity) for f in findings] == [("overlap_small", "warning")]
    assert "3.0 %" in findings[0].reason


def test_an_overlap_of_10_percent_is_refused_naming_the_other_plot():
    plot = check_geometry(square_at(108.030001, 12.700001))
    neighbour = Neighbour("B2", square_at(108.030901, 12.700001))

    findings = overlap_findings(plot, [neighbour])

    assert [(f.code, f.severity) for f in findings] == [("overlap", "error")]
    assert findings[0].reason.startswith("overlaps plot B2 by 0.12")
    assert "10.0 %" in findings[0].reason


def test_a_small_plot_inside_a_large_one_is_refused_whatever_the_large_ones_share():
    small = check_geometry(square_at(108.030201, 12.700201, side=0.0002))
    large = Neighbour("BIG", square_at(108.030001, 12.700001, side=0.002))

    assert [f.code for f in overlap_findings(small, [large])] == ["overlap"]


def test_plots_that_only_share_a_boundary_do_not_overlap():
    plot = check_geometry(square_at(108.030001, 12.700001))
    neighbour = Neighbour("B2", square_at(108.031001, 12.700001))

    assert overlap_findings(plot, [neighbour]) == []


def test_export_rounding_keeps_6_decimals():
    ring = [
        [108.1234567891, 12.9876543219],
        [108.2, 12.9],
        [108.2, 12.95],
        [108.1234567891, 12.9876543219],
    ]

    rounded = round_geometry({"type": "Polygon", "coordinates": [ring]})

    assert rounded["coordinates"][0][0] == [108.123457, 12.987654]


# --- properties --------------------------------------------------------------------------

# Star-shaped rings (corners sorted by angle around a centre) are simple by construction.
corners = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=2 * math.pi, allow_nan=False, exclude_max=True),
        st.floats(min_value=0.0002, max_value=0.003),
    ),
    min_size=3,
    max_size=9,
    unique_by=lambda c: round(c[0], 2),
)
centres = st.tuples(
    st.floats(min_value=103.0, max_value=109.0), st.floats(min_value=9.0, max_value=23.0)
)


def star_ring(
    centre: tuple[float, float], spec: list[tuple[float, float]], digits: int = 9
) -> list:
    lon0, lat0 = centre
    ring = [
        [round(lon0 + r * math.cos(a), digits), round(lat0 + r * math.sin(a), digits)]
        for a, r in sorted(spec)
    ]
    return [*ring, ring[0]]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(centre=centres, spec=corners, start=st.integers(min_value=0, max_value=8))
def test_area_does_not_depend_on_ring_orientation_or_starting_corner(centre, spec, start):
    ring = star_ring(centre, spec)[:-1]
    start %= len(ring)
    rotated = ring[start:] + ring[:start]
    reversed_ring = list(reversed(ring))

    def area(r: list) -> float:
        return geodesic_area_m2(to_shape({"type": "Polygon", "coordinates": [[*r, r[0]]]}))

    assert area(rotated) == pytest.approx(area(ring), rel=1e-9)
    assert area(reversed_ring) == pytest.approx(area(ring), rel=1e-9)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(centre=centres, spec=corners)
def test_an_accepted_polygon_stays_valid_when_rounded_to_6_decimals(centre, spec):
    checked = check_geometry({"type": "Polygon", "coordinates": [star_ring(centre, spec)]})

    if checked.ok:
        assert to_shape(round_geometry(checked.geometry)).is_valid
    else:
        assert all(f.reason for f in checked.errors)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["type", "coordinates", "geometry", "features"]), children, max_size=3
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(
    value=json_values
    | st.fixed_dictionaries(
        {"type": st.sampled_from(["Point", "Polygon", "MultiPolygon"]), "coordinates": json_values}
    )
)
def test_any_json_gets_an_answer_never_an_exception(value):
    checked = check_geometry(value, declared_area_ha=Decimal("1"))

    assert checked.ok or checked.errors[0].reason
