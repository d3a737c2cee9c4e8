"""EUDR due diligence for a shipped lot: every plot of origin traced back and checked, the
cut-off date, satellite results, and a statement kept only when every plot passes."""

import io
import json
from datetime import date, datetime, time
from decimal import Decimal

import geojson
import pytest
from django.utils import timezone

from coopchain.compliance import services
from coopchain.compliance.due_diligence import FAIL, check_lot
from coopchain.compliance.models import LandUseRecord, RiskResult, Statement
from coopchain.compliance.tests.support import blend, deforestation_free, harvest, make_plot
from coopchain.errors import InvalidInput
from coopchain.lib import eudr
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier

FOREST = LandUseRecord.Use.NATURAL_FOREST
COFFEE = LandUseRecord.Use.PERENNIAL_CROP
MEMBER = LandUseRecord.Source.MEMBER


def statement_data(**overrides) -> services.StatementData:
    values = {
        "activity": "export",
        "description": "Green Robusta coffee, grade 1, 60 kg bags",
        "net_mass_kg": Decimal("19200"),
    }
    return services.StatementData(**(values | overrides))


@pytest.fixture
def second_plot(member, manager):
    plot = make_plot(member, "EA-02", by=manager, lon=108.040001)
    deforestation_free(plot, by=manager)
    return plot


@pytest.fixture
def container(coop, manager, harvest_lot, second_plot):
    return blend(coop, [harvest_lot, harvest(second_plot, by=manager)], by=manager)


def test_every_plot_of_origin_is_traced_back_from_the_shipped_lot(
    container, coffee_plot, second_plot
):
    result = check_lot(container)

    assert [p.key for p in result.plots] == ["EA-01", "EA-02"]
    assert result.commodity == "coffee"
    assert result.ready
    assert len(result.files) == 1


def test_a_plot_expanded_into_forest_after_2020_fails_the_container(
    container, second_plot, manager
):
    services.record_land_use(
        plot=second_plot,
        since=date(2022, 3, 1),
        use=COFFEE,
        source=LandUseRecord.Source.IMAGERY,
        cleared_forest=True,
        cleared_area_ha=Decimal("0.8"),
        by=manager,
    )

    result = check_lot(container)

    assert not result.ready
    assert [p.key for p in result.failed_plots] == ["EA-02"]
    reasons = [c.reason for c in result.failed_plots[0].failures]
    assert reasons == [
        "forest was cleared on 2022-03-01 for Perennial crop (coffee, pepper, fruit trees…) "
        "(0.8 ha): deforestation after 31 December 2020"
    ]
    assert result.files == []


@pytest.mark.parametrize(
    ("history", "passes"),
    [
        ([(date(2019, 6, 1), FOREST, False), (date(2020, 12, 31), COFFEE, True)], True),
        ([(date(2019, 6, 1), FOREST, False), (date(2021, 1, 1), COFFEE, True)], False),
        ([(date(2015, 1, 1), FOREST, False), (date(2021, 5, 1), COFFEE, False)], False),
        ([(date(2015, 1, 1), COFFEE, False)], True),
        ([(date(2022, 1, 1), COFFEE, False)], False),
        ([], False),
    ],
    ids=[
        "cleared-on-the-cut-off-day",
        "cleared-the-day-after",
        "forest-on-the-cut-off-day",
        "coffee-since-2015",
        "history-starts-after-the-cut-off",
        "no-history",
    ],
)
def test_the_cut_off_date_decides_deforestation_free(member, manager, history, passes):
    plot = make_plot(member, "EA-09", by=manager)
    for since, use, cleared in history:
        services.record_land_use(
            plot=plot, since=since, use=use, source=MEMBER, cleared_forest=cleared, by=manager
        )
    lot = harvest(plot, by=manager)

    result = check_lot(lot)

    assert (result.plots[0].status_of("deforestation") != FAIL) is passes


def test_a_high_satellite_risk_fails_and_a_review_is_a_warning(
    coop, manager, coffee_plot, second_plot, container
):
    csv_text = (
        "plot_code,risk,source,assessed_on,note\n"
        "EA-01,medium,Global Forest Watch integrated alerts,2025-10-01,cloud cover\n"
        "EA-02,high,JRC Tropical Moist Forest 2024,2025-10-01,\n"
    )

    report = services.import_risk_results(
        organization=coop, file=io.BytesIO(csv_text.encode()), filename="risk.csv", by=manager
    )
    result = check_lot(container)

    assert (report.added, report.errors) == (2, [])
    first, second = result.plots
    assert first.status == "warning"
    assert second.failed
    assert (
        "JRC Tropical Moist Forest 2024 of 2025-10-01 finds forest loss"
        in second.failures[0].reason
    )


def test_importing_the_same_risk_file_twice_changes_nothing_and_a_bad_row_stops_all(
    coop, manager, coffee_plot
):
    good = b"plot_code,risk,source,assessed_on\nEA-01,low,JRC TMF,2025-10-01\n"
    bad = b"plot_code,risk,source,assessed_on\nEA-01,low,JRC TMF,2025-11-01\nXX-99,extreme,,01/10/2025\n"

    services.import_risk_results(
        organization=coop, file=io.BytesIO(good), filename="a.csv", by=manager
    )
    again = services.import_risk_results(
        organization=coop, file=io.BytesIO(good), filename="a.csv", by=manager
    )
    refused = services.import_risk_results(
        organization=coop, file=io.BytesIO(bad), filename="b.csv", by=manager
    )

    assert (again.added, again.unchanged) == (0, 1)
    assert {(e.row, e.field) for e in refused.errors} == {
        (3, "plot_code"),
        (3, "risk"),
        (3, "source"),
        (3, "assessed_on"),
    }
    assert RiskResult.objects.count() == 1


def test_a_harvest_lot_without_a_plot_is_refused_by_name_and_nothing_is_exported(
    coop, manager, member, harvest_lot
):
    # Coffee bought at the collection centre from a grower whose plot was never mapped.
    uri = issue_platform_lot_identifier()
    event = ledger.commissioning_event(
        item=ledger.Quantity(uri, Decimal("800")),
        event_time=timezone.make_aware(datetime.combine(date(2025, 11, 12), time(10))),
        location="https://coopchain.example/loc/collection-centre",
        lot_number="MUA-NGOAI-07",
        harvest_started_on=date(2025, 11, 12),
    )
    bought = ledger.record_event(organization=coop, event=event, harvested_by=member).lots[uri]
    container = blend(coop, [harvest_lot, bought], by=manager)

    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(operator=coop, lot=container, data=statement_data(), by=manager)

    errors = {e.field: e.reason for e in refused.value.errors}
    assert "plots.harvest lot MUA-NGOAI-07" in errors
    assert "MUA-NGOAI-07 names no plot" in errors["plots.harvest lot MUA-NGOAI-07"]
    assert Statement.objects.count() == 0


def test_a_statement_keeps_its_data_and_a_geojson_an_independent_validator_accepts(
    coop, manager, container
):
    statement = services.prepare_statement(
        operator=coop,
        lot=container,
        data=statement_data(
            upstream_references=(
                {"referenceNumber": "25VNABCDEF1234", "verificationNumber": "K9X2"},
            )
        ),
        by=manager,
    )

    assert statement.reference == f"DDS-{timezone.localdate().year}-0001"
    (file,) = statement.files
    collection = geojson.loads(file["text"])
    assert collection.is_valid, collection.errors()
    assert len(collection["features"]) == 2
    for feature in collection["features"]:
        assert set(feature["properties"]) == set(eudr.PROPERTY_NAMES)
        assert isinstance(feature["properties"]["Area"], float)
    data = statement.data
    commodity = data["commodities"][0]
    assert (commodity["hsHeading"], commodity["countryOfProduction"]) == ("0901", "VN")
    assert commodity["netMassKg"] == 19200.0
    assert commodity["geolocationFiles"] == [file["name"]]
    assert data["upstreamStatements"] == [
        {"referenceNumber": "25VNABCDEF1234", "verificationNumber": "K9X2"}
    ]
    assert [row["plot"] for row in data["riskTable"]] == ["EA-01", "EA-02"]
    assert all(row["deforestationFree"] for row in data["riskTable"])
    json.dumps(data)


def test_a_large_geolocation_is_split_into_several_files_and_says_so(
    coop, manager, container, monkeypatch
):
    monkeypatch.setattr(eudr, "MAX_GEOLOCATION_BYTES", 400)

    statement = services.prepare_statement(
        operator=coop, lot=container, data=statement_data(), by=manager
    )

    names = [f["name"] for f in statement.files]
    assert names == [
        f"{statement.reference}-1-of-2.geojson",
        f"{statement.reference}-2-of-2.geojson",
    ]
    assert statement.data["commodities"][0]["geolocationFiles"] == names


def test_a_lot_outside_annex_i_has_no_statement(coop, manager, member):
    plot = make_plot(member, "QUE-01", by=manager, crop="cinnamon")
    deforestation_free(plot, by=manager)
    lot = harvest(plot, by=manager, crop="cinnamon")

    with pytest.raises(InvalidInput) as refused:
        services.prepare_statement(operator=coop, lot=lot, data=statement_data(), by=manager)

    assert [e.field for e in refused.value.errors] == ["hs_code"]
