import json
from decimal import Decimal

import pytest

from coopchain.errors import Conflict, Forbidden, InvalidInput
from coopchain.land.models import Crop, Plot, PlotGeometryHistory
from coopchain.land.services import (
    PlotData,
    add_crop,
    create_plot,
    create_zone,
    end_crop,
    set_zone_plots,
    update_plot,
)
from coopchain.land.tests.factories import PlotFactory
from coopchain.land.tests.shapes import bow_tie, point, quadrilateral, square
from coopchain.parties.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def data(member, geometry, code="L001", **extra) -> PlotData:
    return PlotData(code=code, member_code=member.code, geometry=geometry, **extra)


def fields_of(error) -> list[str]:
    return [e.field for e in error.value.errors]


def test_a_plot_is_saved_with_its_computed_area_centroid_and_bounding_box(coop, member, manager):
    plot = create_plot(
        organization=coop,
        data=data(member, json.dumps(quadrilateral()), name="Rẫy sau nhà"),
        by=manager,
    )

    plot.refresh_from_db()
    assert plot.shape == "Polygon"
    assert Decimal("1.6") < plot.area_ha < Decimal("1.8")
    assert plot.bbox_min_lon < float(plot.centroid_lon) < plot.bbox_max_lon
    assert plot.ward_id == member.ward_id  # the household's commune when none is given
    assert plot.geometry_findings == []


def test_a_bow_tie_is_refused_with_the_field_and_reason(coop, member, manager):
    with pytest.raises(InvalidInput) as error:
        create_plot(organization=coop, data=data(member, bow_tie()), by=manager)

    assert fields_of(error) == ["geometry.coordinates"]
    assert "crosses itself" in error.value.errors[0].reason
    assert not Plot.objects.exists()


def test_a_point_plot_takes_its_declared_area(coop, member, manager):
    plot = create_plot(
        organization=coop,
        data=data(member, point(), declared_area_ha=Decimal("0.6")),
        by=manager,
    )

    assert plot.is_point
    assert plot.area_ha == Decimal("0.6")


def test_a_5_ha_point_is_refused(coop, member, manager):
    with pytest.raises(InvalidInput) as error:
        create_plot(
            organization=coop, data=data(member, point(), declared_area_ha=Decimal("5")), by=manager
        )

    assert fields_of(error) == ["geometry.type"]
    assert "must be mapped as a polygon" in error.value.errors[0].reason


def test_a_declared_area_far_from_the_mapped_one_is_kept_and_flagged(coop, member, manager):
    plot = create_plot(
        organization=coop,
        data=data(member, square(), declared_area_ha=Decimal("2")),
        by=manager,
    )

    assert plot.area_differs_from_declared
    assert [f["code"] for f in plot.geometry_findings] == ["declared_area_differs"]


def test_an_overlap_of_10_percent_with_another_plot_is_refused(coop, member, manager):
    PlotFactory(member=member, code="A1", geometry=square())

    with pytest.raises(InvalidInput) as error:
        create_plot(
            organization=coop,
            data=data(member, square(lon=108.030901), code="A2"),
            by=manager,
        )

    assert "overlaps plot A1" in error.value.errors[0].reason
    assert "10.0 %" in error.value.errors[0].reason


def test_an_overlap_of_3_percent_is_saved_with_a_warning(coop, member, manager):
    PlotFactory(member=member, code="A1", geometry=square())

    plot = create_plot(
        organization=coop, data=data(member, square(lon=108.030971), code="A2"), by=manager
    )

    assert [f["code"] for f in plot.geometry_findings] == ["overlap_small"]


def test_plots_of_another_cooperative_or_no_longer_farmed_do_not_count_as_overlaps(
    coop, member, manager, other_coop
):
    PlotFactory(member__organization=other_coop, code="X1", geometry=square())
    PlotFactory(member=member, code="OLD", geometry=square(), status=Plot.Status.RETIRED)

    plot = create_plot(organization=coop, data=data(member, square()), by=manager)

    assert plot.geometry_findings == []


def test_a_plot_code_is_used_once_per_cooperative(coop, member, manager):
    create_plot(organization=coop, data=data(member, square()), by=manager)

    with pytest.raises(Conflict):
        create_plot(organization=coop, data=data(member, square(lon=108.04)), by=manager)


def test_an_unknown_member_code_is_refused_on_the_member_code(coop, manager):
    with pytest.raises(InvalidInput) as error:
        create_plot(
            organization=coop,
            data=PlotData(code="L1", member_code="NOBODY", geometry=square()),
            by=manager,
        )

    assert fields_of(error) == ["member_code"]


def test_a_farmer_cannot_create_plots(coop, member, farmer):
    with pytest.raises(Forbidden):
        create_plot(organization=coop, data=data(member, square()), by=farmer)


def test_redrawing_a_plot_keeps_the_old_geometry_in_its_history(coop, member, manager):
    plot = create_plot(organization=coop, data=data(member, square()), by=manager)
    first_area = plot.area_ha

    update_plot(
        plot=plot,
        data=data(member, quadrilateral()),
        by=manager,
        note="Đo lại bằng GPS",
    )

    plot.refresh_from_db()
    history = list(PlotGeometryHistory.objects.filter(plot=plot))
    assert plot.geometry == quadrilateral()
    assert [(h.geometry, h.area_ha, h.note) for h in history] == [
        (square(), first_area, "Đo lại bằng GPS")
    ]
    assert history[0].replaced_by == manager
    assert history[0].valid_from == plot.created_at


def test_changing_only_the_name_keeps_no_geometry_history(coop, member, manager):
    plot = create_plot(organization=coop, data=data(member, square()), by=manager)

    update_plot(plot=plot, data=data(member, square(), name="Rẫy mới"), by=manager)

    assert plot.name == "Rẫy mới"
    assert plot.ward_id == member.ward_id
    assert not PlotGeometryHistory.objects.exists()


def test_an_update_is_not_refused_for_overlapping_the_plot_itself(coop, member, manager):
    plot = create_plot(organization=coop, data=data(member, square()), by=manager)

    update_plot(plot=plot, data=data(member, square(lon=108.030101)), by=manager)

    assert plot.geometry_findings == []


def test_crops_are_added_with_tree_counts_for_perennials_only(coop, member, manager):
    plot = PlotFactory(member=member)
    coffee = Crop.objects.get(code="coffee-robusta")
    cabbage = Crop.objects.get(code="cabbage")

    planting = add_crop(
        plot=plot, crop=coffee, variety="TR4", planting_year=2015, tree_count=1100, by=manager
    )
    with pytest.raises(InvalidInput) as error:
        add_crop(plot=plot, crop=cabbage, tree_count=300, by=manager)

    assert planting.organization_id == coop.pk
    assert fields_of(error) == ["tree_count"]


def test_shares_of_the_plot_cannot_exceed_100_percent(member, manager):
    plot = PlotFactory(member=member)
    add_crop(plot=plot, crop=Crop.objects.get(code="coffee-robusta"), area_share_pct=80, by=manager)

    with pytest.raises(InvalidInput) as error:
        add_crop(plot=plot, crop=Crop.objects.get(code="pepper"), area_share_pct=30, by=manager)

    assert "exceeds 100" in error.value.errors[0].reason


def test_an_ended_crop_stays_on_record_and_can_be_planted_again(member, manager):
    plot = PlotFactory(member=member)
    coffee = Crop.objects.get(code="coffee-robusta")
    old = add_crop(plot=plot, crop=coffee, planting_year=1998, by=manager)

    end_crop(plot_crop=old, ended_year=2022, by=manager)
    add_crop(plot=plot, crop=coffee, planting_year=2023, by=manager)

    assert [(c.planting_year, c.ended_year) for c in plot.crops.order_by("pk")] == [
        (1998, 2022),
        (2023, None),
    ]


def test_a_zone_links_plots_to_an_enterprise(coop, member, manager):
    plots = [PlotFactory(member=member), PlotFactory(member=member)]
    exporter = EnterpriseFactory(name="Công ty Cà phê Xuất khẩu")

    zone = create_zone(
        organization=coop,
        code="VNL-01",
        name="Vùng cà phê Ea Tul",
        enterprise=exporter,
        crop=Crop.objects.get(code="coffee-robusta"),
        plots=plots,
        by=manager,
    )
    set_zone_plots(zone=zone, plots=plots[:1], by=manager)

    assert list(zone.plots.all()) == plots[:1]
    assert zone.memberships.get().organization_id == coop.pk


def test_a_zone_holds_only_its_cooperatives_plots(coop, manager, other_coop):
    foreign = PlotFactory(member__organization=other_coop)

    with pytest.raises(InvalidInput):
        create_zone(organization=coop, code="Z", name="Vùng", plots=[foreign], by=manager)
