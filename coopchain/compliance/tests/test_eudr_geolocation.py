"""The geolocation file's rules, one by one, on plots as the EU information system reads them
(coopchain.lib.eudr), and the file checked by an independent GeoJSON validator."""

import json
from decimal import Decimal

import geojson
import pytest

from coopchain.lib import eudr
from coopchain.lib.geometry import check_geometry

LON, LAT = 108.050001, 12.680001


def ring(lon: float = LON, lat: float = LAT, side: float = 0.003) -> list[list[float]]:
    return [
        [round(x, 7), round(y, 7)]
        for x, y in [
            [lon, lat],
            [lon + side, lat],
            [lon + side, lat + side],
            [lon, lat + side],
            [lon, lat],
        ]
    ]


def place(geometry, key="P1", area_ha=None, producer="Y Bhim Niê") -> eudr.PlotPlace:
    return eudr.PlotPlace(
        key=key,
        geometry=geometry,
        area_ha=Decimal(area_ha) if area_ha is not None else None,
        producer_name=producer,
        production_place="Xã Ea Tul, Đắk Lắk",
        producer_key=producer,
        commodity="coffee",
    )


def codes(prepared: eudr.PreparedPlot) -> set[str]:
    return {f.code for f in prepared.findings}


def polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def test_a_plot_without_geolocation_is_refused():
    prepared = eudr.prepare_plot(place(None))

    assert not prepared.ok
    assert codes(prepared) == {"no_geolocation"}
    assert prepared.features == ()


def test_an_open_ring_is_refused():
    open_ring = ring()[:-1]

    assert "not_closed" in codes(eudr.prepare_plot(place(polygon(open_ring))))


def test_a_self_crossing_polygon_is_refused_with_where_it_crosses():
    bow_tie = [
        [LON, LAT],
        [LON + 0.003, LAT + 0.003],
        [LON + 0.003, LAT],
        [LON, LAT + 0.003],
        [LON, LAT],
    ]

    prepared = eudr.prepare_plot(place(polygon(bow_tie)))

    assert codes(prepared) == {"self_intersection"}
    assert "108.0515" in prepared.findings[0].reason


def test_a_ring_of_three_positions_is_refused():
    assert "too_few_positions" in codes(
        eudr.prepare_plot(place(polygon([[LON, LAT], [LON + 0.003, LAT], [LON, LAT]])))
    )


def test_a_point_outside_viet_nam_is_refused():
    bangkok = {"type": "Point", "coordinates": [100.501765, 13.756331]}

    assert codes(eudr.prepare_plot(place(bangkok, area_ha="1"))) == {"outside_viet_nam"}


def test_swapped_coordinates_are_named_as_such():
    swapped = {"type": "Point", "coordinates": [12.680001, 108.050001]}

    assert codes(eudr.prepare_plot(place(swapped, area_ha="1"))) == {"swapped"}


def test_a_point_stands_for_a_plot_of_4_ha_but_not_more():
    point = {"type": "Point", "coordinates": [LON, LAT]}

    four = eudr.prepare_plot(place(point, area_ha="4"))
    more = eudr.prepare_plot(place(point, area_ha="4.01"))

    assert four.ok
    assert four.features[0]["geometry"] == {"type": "Point", "coordinates": [LON, LAT]}
    assert four.features[0]["properties"]["Area"] == 4.0
    assert not more.ok
    assert "point_too_large" in codes(more)


def test_a_polygon_above_4_ha_is_accepted():
    prepared = eudr.prepare_plot(place(polygon(ring()), area_ha="10.2"))

    assert prepared.ok
    assert prepared.features[0]["geometry"]["type"] == "Polygon"


def test_the_properties_are_exactly_those_the_eu_system_reads_and_area_is_a_number():
    prepared = eudr.prepare_plot(place(polygon(ring()), area_ha="10.2345"))

    properties = prepared.features[0]["properties"]
    assert tuple(properties) == eudr.PROPERTY_NAMES
    assert properties == {
        "ProducerName": "Y Bhim Niê",
        "ProducerCountry": "VN",
        "ProductionPlace": "Xã Ea Tul, Đắk Lắk",
        "Area": 10.2345,
    }


def test_coordinates_are_rounded_to_6_decimal_places():
    precise = [[x + 0.00000049, y - 0.00000031] for x, y in ring()]
    precise[-1] = precise[0]

    prepared = eudr.prepare_plot(place(polygon(precise), area_ha="10"))

    first = prepared.features[0]["geometry"]["coordinates"][0][0]
    assert first == [round(LON + 0.00000049, 6), round(LAT - 0.00000031, 6)]
    assert all(
        len(repr(n).split(".")[1]) <= eudr.REQUIRED_DECIMALS
        for position in prepared.features[0]["geometry"]["coordinates"][0]
        for n in position
    )


def test_a_polygon_that_collapses_when_rounded_is_refused():
    # Two corners 0.3 micro-degrees apart become the same position at 6 decimal places.
    sliver = [
        [LON, LAT],
        [LON + 0.003, LAT],
        [LON + 0.0030003, LAT + 0.0000001],
        [LON + 0.003, LAT + 0.003],
        [LON, LAT],
    ]

    prepared = eudr.prepare_plot(place(polygon(sliver), area_ha="5"))

    assert not prepared.ok
    assert codes(prepared) & {"duplicate_vertex", "invalid_when_rounded"}


def test_a_ring_shaped_plot_is_sent_as_two_halves_without_holes():
    hole = list(reversed(ring(LON + 0.001, LAT + 0.001, 0.001)))

    prepared = eudr.prepare_plot(place(polygon(ring(), hole), area_ha="8.9"))

    assert prepared.ok
    assert "holes_split" in codes(prepared)
    assert len(prepared.features) == 2
    assert all(len(f["geometry"]["coordinates"]) == 1 for f in prepared.features)
    whole = check_geometry(polygon(ring())).area_ha
    hole_area = check_geometry(polygon(list(reversed(hole)))).area_ha
    total = sum(f["properties"]["Area"] for f in prepared.features)
    assert total == pytest.approx(float(whole - hole_area), abs=0.001)
    collection = geojson.loads(eudr.dump(eudr.feature_collection(prepared.features)))
    assert collection.is_valid, collection.errors()


def test_the_same_plot_twice_is_a_duplicate():
    first = eudr.prepare_plot(place(polygon(ring()), key="EA-01", area_ha="10"))
    again = eudr.prepare_plot(place(polygon(ring()), key="DL-07", area_ha="10"))

    found = eudr.between_plots([first, again])

    assert [f.code for f in found["DL-07"]] == ["duplicate"]
    assert "EA-01" in found["DL-07"][0].reason


def test_overlaps_above_5_percent_are_errors_and_slivers_warnings():
    base = eudr.prepare_plot(place(polygon(ring()), key="A", area_ha="10"))
    half = eudr.prepare_plot(place(polygon(ring(LON + 0.0015)), key="B", area_ha="10"))
    sliver = eudr.prepare_plot(place(polygon(ring(LON - 0.00295)), key="C", area_ha="10"))

    found = eudr.between_plots([base, half, sliver])

    assert [(f.code, f.severity) for f in found["B"]] == [("overlap", "error")]
    assert [(f.code, f.severity) for f in found["C"]] == [("overlap_small", "warning")]


def test_files_are_split_to_stay_within_the_upload_limit():
    features = [
        eudr.prepare_plot(
            place(polygon(ring(LON + i * 0.004)), key=f"P{i}", area_ha="10")
        ).features[0]
        for i in range(30)
    ]
    one = len(eudr.dump(features[0]).encode())

    files = eudr.split_files(features, max_bytes=one * 10 + 100)

    assert len(files) == 3
    assert all(len(text.encode()) <= one * 10 + 100 for text in files)
    assert sum(len(json.loads(text)["features"]) for text in files) == 30
    assert [json.loads(t)["features"][0] for t in files][1] == features[10]


def test_a_single_feature_above_the_limit_cannot_be_split():
    feature = eudr.prepare_plot(place(polygon(ring()), area_ha="10")).features[0]

    with pytest.raises(eudr.FileTooLarge):
        eudr.split_files([feature], keys=["EA-01"], max_bytes=100)


def test_producer_limits_per_commodity(monkeypatch):
    monkeypatch.setattr(eudr, "MAX_PRODUCERS_PER_COMMODITY", 2)
    plots = [
        eudr.prepare_plot(
            place({"type": "Point", "coordinates": [LON + i * 0.01, LAT]}, f"P{i}", "1", f"H{i}")
        )
        for i in range(3)
    ]

    found = eudr.producer_findings(plots)

    assert [f.code for f in found] == ["too_many_producers"]
    assert "3 producers of coffee" in found[0].reason


@pytest.mark.parametrize(
    ("hs_code", "commodity"),
    [
        ("0901.11.00", "coffee"),
        ("090121", "coffee"),
        ("4001 10", "rubber"),
        ("4011.10", "rubber"),
        ("1801", "cocoa"),
        ("1806.32", "cocoa"),
        ("1511.10", "oil_palm"),
        ("1201.90", "soya"),
        ("4403.49", "wood"),
        ("9403.60", "wood"),
        ("0201.30", "cattle"),
        ("0906.11", ""),
        ("0904.11", ""),
        ("0709.99", ""),
    ],
)
def test_commodities_are_found_from_the_hs_code_as_annex_i_lists_them(hs_code, commodity):
    assert eudr.commodity_for_hs(hs_code) == commodity


def test_the_cut_off_date_and_application_dates_are_the_regulations():
    assert eudr.CUTOFF_DATE.isoformat() == "2020-12-31"
    assert eudr.APPLIES_FROM.isoformat() == "2026-12-30"
    assert eudr.MAX_GEOLOCATION_BYTES == 25 * 1024 * 1024
