"""Reads of plots used by the pages, the API, the map and other apps."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from coopchain.land.models import Crop, Plot, PlotCrop, RawMaterialZone
from coopchain.lib.text import fold
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import scope

# Plots with no crop recorded are drawn in this colour.
NO_CROP_COLOUR = "#9e9e9e"


def current_crops() -> Prefetch:
    return Prefetch(
        "crops",
        queryset=PlotCrop.objects.filter(ended_year__isnull=True).select_related("crop"),
        to_attr="current_crops",
    )


def plot_list(
    user: Any,
    *,
    organization: Organization | None = None,
    member_id: int | None = None,
    crop_code: str = "",
    ward_code: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Plot]:
    """Plots the user may see, filtered as the plots page, the map and the API offer."""
    plots = scope(Plot.objects.all(), user)
    if organization is not None:
        plots = plots.filter(organization=organization)
    if member_id:
        plots = plots.filter(member_id=member_id)
    if crop_code:
        plots = plots.filter(
            pk__in=PlotCrop.objects.filter(crop__code=crop_code, ended_year__isnull=True).values(
                "plot_id"
            )
        )
    if ward_code:
        plots = plots.filter(ward_id=ward_code)
    if status:
        plots = plots.filter(status=status)
    if q.strip():
        text = q.strip()
        plots = plots.filter(
            Q(code__icontains=text)
            | Q(name__icontains=text)
            | Q(planting_area_code__iexact=text)
            | Q(member__code__iexact=text)
            | Q(member__search_name__contains=fold(text))
        )
    return plots.select_related("member", "ward", "organization").prefetch_related(current_crops())


def crops_in_use(organization: Organization) -> QuerySet[Crop]:
    """The catalogue's crops grown on the cooperative's plots now (the map's legend)."""
    return Crop.objects.filter(
        plantings__organization=organization, plantings__ended_year__isnull=True
    ).distinct()


def zone_list(user: Any, *, organization: Organization | None = None) -> QuerySet:
    zones = scope(RawMaterialZone.objects.all(), user)
    if organization is not None:
        zones = zones.filter(Q(organization=organization) | Q(enterprise=organization))
    return zones.select_related("organization", "enterprise", "crop").prefetch_related("plots")


def plot_colour(plot: Plot) -> tuple[str, str]:
    """The map colour of a plot and the crop it stands for (its first current crop)."""
    crops = getattr(plot, "current_crops", None)
    if crops is None:
        crops = [c for c in plot.crops.all() if c.ended_year is None]
    if not crops:
        return NO_CROP_COLOUR, ""
    return crops[0].crop.colour, crops[0].crop.code


def map_features(plots: QuerySet[Plot]) -> dict[str, Any]:
    """The plots as a GeoJSON FeatureCollection for the map, each with what its popup shows."""
    features = []
    for plot in plots:
        colour, crop_code = plot_colour(plot)
        crops = getattr(plot, "current_crops", [])
        features.append(
            {
                "type": "Feature",
                "id": plot.pk,
                "geometry": plot.geometry,
                "properties": {
                    "code": plot.code,
                    "name": plot.name,
                    "member": plot.member.head_of_household,
                    "member_code": plot.member.code,
                    "area_ha": f"{plot.area_ha.normalize():f}",
                    "crop": crop_code,
                    "crops": ", ".join(c.crop.label for c in crops),
                    "colour": colour,
                    "url": reverse("land:plot_detail", args=[plot.pk]),
                    "warnings": len(plot.geometry_findings),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
