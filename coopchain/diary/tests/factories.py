"""Plots, products and entries for diary tests."""

from datetime import date
from decimal import Decimal
from typing import Any

from coopchain.diary import services
from coopchain.diary.models import Activity, InputProduct, InputProductPHI
from coopchain.land.models import Crop, Plot, PlotCrop
from coopchain.parties.models import Member

# A 1 ha square near Buôn Ma Thuột (Đắk Lắk), as [longitude, latitude].
LON, LAT = 108.05, 12.68


def make_plot(member: Member, code: str = "P01", *, area_ha: str = "1", crop: str = "") -> Plot:
    side = 0.0009
    ring = [[LON, LAT], [LON + side, LAT], [LON + side, LAT + side], [LON, LAT + side], [LON, LAT]]
    plot = Plot.objects.create(
        organization=member.organization,
        member=member,
        code=code,
        geometry={"type": "Polygon", "coordinates": [ring]},
        shape=Plot.Shape.POLYGON,
        area_ha=Decimal(area_ha),
        centroid_lat=Decimal(str(LAT + side / 2)).quantize(Decimal("0.000001")),
        centroid_lon=Decimal(str(LON + side / 2)).quantize(Decimal("0.000001")),
        bbox_min_lon=LON,
        bbox_min_lat=LAT,
        bbox_max_lon=LON + side,
        bbox_max_lat=LAT + side,
    )
    if crop:
        PlotCrop.objects.create(
            organization=member.organization, plot=plot, crop=Crop.objects.get(code=crop)
        )
    return plot


def make_product(
    name: str = "Abamectin test 1.8 EC",
    *,
    organization: Any = None,
    kind: str = InputProduct.Kind.PESTICIDE,
    phi: dict[str, int] | None = None,
    banned: bool = False,
    banned_reason: str = "",
    max_dose_per_ha: str | None = None,
    dose_unit: str = "",
) -> InputProduct:
    product = InputProduct.objects.create(
        organization=organization,
        name=name,
        kind=kind,
        banned=banned,
        banned_reason=banned_reason,
        max_dose_per_ha=Decimal(max_dose_per_ha) if max_dose_per_ha else None,
        dose_unit=dose_unit,
    )
    for code, days in (phi or {}).items():
        InputProductPHI.objects.create(product=product, crop=Crop.objects.get(code=code), days=days)
    return product


def spray(
    *,
    organization: Any,
    plot: Plot,
    product: InputProduct,
    on: date,
    by: Any,
    quantity: str = "0.4",
    unit: str = "LTR",
    **extra: Any,
) -> Activity:
    return services.record_activity(
        organization=organization,
        data=services.ActivityData(
            kind=Activity.Kind.SPRAYING,
            performed_on=on,
            plot_ids=(plot.pk,),
            lines=(services.LineData(product.pk, Decimal(quantity), unit),),
            **extra,
        ),
        by=by,
    )


def harvest(
    *,
    organization: Any,
    plot: Plot,
    on: date,
    by: Any,
    crop: str = "coffee-robusta",
    quantity: str = "1200",
    unit: str = "KGM",
    **extra: Any,
) -> Activity:
    return services.record_activity(
        organization=organization,
        data=services.ActivityData(
            kind=Activity.Kind.HARVEST,
            performed_on=on,
            plot_ids=(plot.pk,),
            crop_code=crop,
            harvest_quantity=Decimal(quantity),
            harvest_unit=unit,
            **extra,
        ),
        by=by,
    )
