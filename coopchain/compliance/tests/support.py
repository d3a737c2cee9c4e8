"""Plots, harvests and shipped lots for compliance tests, made through the real services:
plots through the land service, harvests through the farm diary (which commissions their
lots in the ledger), blends and containers through the ledger service."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coopchain.compliance import services
from coopchain.compliance.models import LandUseRecord
from coopchain.diary import services as diary
from coopchain.diary.models import Activity
from coopchain.land import services as land
from coopchain.land.models import Crop, Plot
from coopchain.parties.models import Member, Organization
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier
from coopchain.trace.models import Lot

LON, LAT = 108.030001, 12.700001


def square(lon: float, lat: float = LAT, side: float = 0.003) -> dict[str, Any]:
    """About 10 ha at this latitude for the default side; 0.0015 gives about 2.4 ha."""
    ring = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def make_plot(
    member: Member,
    code: str,
    *,
    by: Any,
    geometry: dict[str, Any] | None = None,
    lon: float = LON,
    declared_area_ha: Decimal | None = None,
    crop: str = "coffee-robusta",
    land_certificate_ref: str = "CS 01234",
    planting_area_code: str = "",
) -> Plot:
    plot = land.create_plot(
        organization=member.organization,
        data=land.PlotData(
            code=code,
            member_code=member.code,
            geometry=geometry or square(lon),
            declared_area_ha=declared_area_ha,
            land_certificate_ref=land_certificate_ref,
            planting_area_code=planting_area_code,
        ),
        by=by,
    )
    land.add_crop(plot=plot, crop=Crop.objects.get(code=crop), by=by)
    return plot


def deforestation_free(plot: Plot, *, by: Any, since: date = date(2012, 5, 1)) -> LandUseRecord:
    """The land has been a coffee farm since long before the cut-off date."""
    return services.record_land_use(
        plot=plot,
        since=since,
        use=LandUseRecord.Use.PERENNIAL_CROP,
        source=LandUseRecord.Source.LAND_CERTIFICATE,
        by=by,
    )


def harvest(
    plot: Plot,
    *,
    by: Any,
    on: date = date(2025, 11, 10),
    quantity: str = "1500",
    crop: str = "coffee-robusta",
) -> Lot:
    activity = diary.record_activity(
        organization=plot.organization,
        data=diary.ActivityData(
            kind=Activity.Kind.HARVEST,
            performed_on=on,
            plot_ids=(plot.pk,),
            crop_code=crop,
            harvest_quantity=Decimal(quantity),
            harvest_unit="KGM",
        ),
        by=by,
    )
    return activity.lot


def blend(
    organization: Organization,
    lots: list[Lot],
    *,
    by: Any = None,
    on: date = date(2025, 12, 1),
) -> Lot:
    """The lots dried and hulled together into one lot (a TransformationEvent)."""
    output = issue_platform_lot_identifier()
    total = sum((lot.quantity or Decimal(0) for lot in lots), Decimal(0))
    event = ledger.transformation_event(
        inputs=[ledger.Quantity(lot.epc, lot.quantity) for lot in lots],
        outputs=[ledger.Quantity(output, total * Decimal("0.2"))],
        event_time=timezone.make_aware(datetime.combine(on, time(9))),
    )
    result = ledger.record_event(organization=organization, event=event, by=by)
    return result.lots[output]
