"""Land records for the tenants of the route walk (coopchain/parties/tests/test_tenancy_routes.py):
each cooperative's plot gets a crop of its own and a raw-material zone holding it."""

from typing import Any

from coopchain.land.models import Crop, PlotCrop, RawMaterialZone, ZonePlot


def add_land_records(tenant: Any) -> None:
    """Give `tenant` (after its diary records, which make its plot) a plot crop and a zone,
    named on it as attributes, and their text as markers."""
    organization, plot = tenant.organization, tenant.diary_plot
    plot_crop = PlotCrop.objects.create(
        organization=organization,
        plot=plot,
        crop=Crop.objects.get(code="pepper"),
        variety=f"Tiêu riêng {organization.name}",
    )
    zone = RawMaterialZone.objects.create(
        organization=organization,
        code=f"VNL-{organization.pk}",
        name=f"Vùng nguyên liệu {organization.name}",
    )
    ZonePlot.objects.create(organization=organization, zone=zone, plot=plot)
    tenant.plot_crop, tenant.zone = plot_crop, zone
    tenant.markers.extend([plot_crop.variety, zone.name])
