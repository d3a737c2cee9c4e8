import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate

from coopchain.errors import NotFound, invalid
from coopchain.land import selectors, services
from coopchain.land.findings import shown
from coopchain.land.models import Crop, Plot, RawMaterialZone
from coopchain.land.schemas import (
    CropOut,
    GeometryCheckIn,
    GeometryCheckOut,
    PlotCropIn,
    PlotCropOut,
    PlotDetailOut,
    PlotImportReportOut,
    PlotIn,
    PlotOut,
    PlotUpdateIn,
    ZoneIn,
    ZoneOut,
)
from coopchain.parties.api import Pages
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, require_write

router = Router(tags=["land"])


def _crop_out(planting: Any) -> dict[str, Any]:
    return {
        "id": planting.pk,
        "crop": planting.crop.code,
        "crop_name": planting.crop.label,
        "variety": planting.variety,
        "planting_year": planting.planting_year,
        "tree_count": planting.tree_count,
        "area_share_pct": planting.area_share_pct,
        "ended_year": planting.ended_year,
    }


def _plot_out(plot: Plot, *, detail: bool = False) -> dict[str, Any]:
    data = {
        "id": plot.pk,
        "organization_id": plot.organization_id,
        "code": plot.code,
        "name": plot.name,
        "member_id": plot.member_id,
        "member_code": plot.member.code,
        "ward_code": plot.ward_id,
        "shape": plot.shape,
        "area_ha": plot.area_ha,
        "declared_area_ha": plot.declared_area_ha,
        "area_differs_from_declared": plot.area_differs_from_declared,
        "centroid_lat": plot.centroid_lat,
        "centroid_lon": plot.centroid_lon,
        "bbox": [plot.bbox_min_lon, plot.bbox_min_lat, plot.bbox_max_lon, plot.bbox_max_lat],
        "planting_area_code": plot.planting_area_code,
        "land_certificate_ref": plot.land_certificate_ref,
        "status": plot.status,
        "crops": [_crop_out(c) for c in plot.crops.all()],
        "findings": shown(plot.geometry_findings),
        "created_at": plot.created_at,
        "updated_at": plot.updated_at,
    }
    if detail:
        data["geometry"] = plot.geometry
        data["history"] = list(plot.geometry_history.all())
    return data


def _typed_geometry(request: HttpRequest, parsed: dict[str, Any]) -> Any:
    """The geometry as sent, numbers as typed: the precision check counts their decimals, and
    parsing to floats would drop trailing zeros (108.100000 -> 108.1)."""
    try:
        body = json.loads(request.body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        return parsed
    return body.get("geometry", parsed) if isinstance(body, dict) else parsed


def _plot_data(request: HttpRequest, payload: PlotIn) -> services.PlotData:
    fields = payload.dict(exclude={"note"})
    fields["geometry"] = _typed_geometry(request, payload.geometry)
    return services.PlotData(**fields)


class PlotFilters(Schema):
    organization_id: int | None = None
    member_id: int | None = None
    crop: str = ""
    ward_code: str = ""
    status: str = ""
    q: str = ""


@router.get("/plots", response=list[PlotOut], summary="Plots, searched and filtered")
@paginate(Pages)
def list_plots(request: HttpRequest, filters: Query[PlotFilters]):
    organization = None
    if filters.organization_id:
        organization = get_scoped(
            Organization.objects.all(), request.user, pk=filters.organization_id
        )
    plots = selectors.plot_list(
        request.user,
        organization=organization,
        member_id=filters.member_id,
        crop_code=filters.crop,
        ward_code=filters.ward_code,
        status=filters.status,
        q=filters.q,
    ).prefetch_related("crops__crop")
    return [_plot_out(p) for p in plots]


@router.get("/plots/{plot_id}", response=PlotDetailOut, summary="A plot with its GeoJSON")
def get_plot(request: HttpRequest, plot_id: int):
    plot = get_scoped(
        Plot.objects.select_related("member").prefetch_related("crops__crop"),
        request.user,
        pk=plot_id,
    )
    return _plot_out(plot, detail=True)


@router.post(
    "/organizations/{organization_id}/plots",
    response={201: PlotDetailOut},
    summary="Record a plot",
    description="A geometry that fails a check is refused with problem details naming the "
    "field and position of each failure (`geometry.coordinates[0][3]`) and why.",
)
def create_plot(request: HttpRequest, organization_id: int, payload: PlotIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    plot = services.create_plot(
        organization=organization, data=_plot_data(request, payload), by=request.user
    )
    return 201, _plot_out(plot, detail=True)


@router.put(
    "/plots/{plot_id}",
    response=PlotDetailOut,
    summary="Change a plot; a new boundary keeps the old one in its history",
)
def update_plot(request: HttpRequest, plot_id: int, payload: PlotUpdateIn):
    plot = get_scoped(Plot.objects.select_related("member"), request.user, pk=plot_id)
    plot = services.update_plot(
        plot=plot, data=_plot_data(request, payload), by=request.user, note=payload.note
    )
    return _plot_out(plot, detail=True)


@router.post(
    "/organizations/{organization_id}/plots/check",
    response=GeometryCheckOut,
    summary="Check a geometry without saving it",
    description="Every check a plot's geometry passes on entry, overlaps with the "
    "cooperative's plots included; `ok` is false when any finding is an error.",
)
def check_plot_geometry(request: HttpRequest, organization_id: int, payload: GeometryCheckIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    require_write(request.user, organization)
    checked = services.check_plot_geometry(
        organization=organization,
        geometry=_typed_geometry(request, payload.geometry),
        declared_area_ha=payload.declared_area_ha,
    )
    return {
        "ok": checked.ok,
        "shape": checked.kind,
        "area_ha": checked.area_ha,
        "findings": shown(f.as_dict() for f in checked.findings),
    }


@router.post("/plots/{plot_id}/crops", response={201: PlotCropOut}, summary="Add a crop")
def add_crop(request: HttpRequest, plot_id: int, payload: PlotCropIn):
    plot = get_scoped(Plot.objects.all(), request.user, pk=plot_id)
    crop = Crop.objects.filter(code=payload.crop).first()
    if crop is None:
        raise invalid("crop", _("is not a crop of the catalogue"), payload.crop)
    planting = services.add_crop(
        plot=plot, crop=crop, by=request.user, **payload.dict(exclude={"crop"})
    )
    return 201, _crop_out(planting)


PLOT_IMPORT_DESCRIPTION = (
    "Upload a GeoJSON FeatureCollection (properties `plot_code` and `member_code` or "
    "`ma_thanh_vien`), a KML/KMZ file (Placemark name = plot code, `member_code` in "
    "ExtendedData) or an .xlsx/.csv list of points (latitude and longitude columns). All "
    "plots or none: if any is refused, nothing is written and the problem details list "
    "every problem as {row (the feature, placemark or spreadsheet row), field, value, "
    "reason}. Plots are matched by code, so sending the same file again changes nothing. "
    "`dry_run=true` reports without writing."
)


@router.post(
    "/organizations/{organization_id}/plots/import",
    response=PlotImportReportOut,
    summary="Import plots from a GeoJSON, KML or spreadsheet file",
    description=PLOT_IMPORT_DESCRIPTION,
)
def import_plots(
    request: HttpRequest, organization_id: int, file: File[UploadedFile], dry_run: bool = False
):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    report = services.import_plots(
        organization=organization,
        file=file,
        filename=file.name or "",
        dry_run=dry_run,
        by=request.user,
    )
    if not report.ok:
        raise report.refusal()
    return report.as_dict()


@router.get(
    "/organizations/{organization_id}/plots/export",
    summary="The cooperative's plots as a GeoJSON FeatureCollection",
    description="RFC 7946, with the properties an import reads back (`plot_code`, "
    "`member_code`, …): importing the file again changes nothing.",
)
def export_plots(request: HttpRequest, organization_id: int):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    plots = selectors.plot_list(request.user, organization=organization).prefetch_related(
        "crops__crop"
    )
    return HttpResponse(
        services.export_plots_geojson_text(plots=plots), content_type="application/geo+json"
    )


@router.get("/crops", response=list[CropOut], summary="The crop catalogue")
def list_crops(request: HttpRequest):
    return Crop.objects.all()


def _zone_out(zone: RawMaterialZone) -> dict[str, Any]:
    return {
        "id": zone.pk,
        "organization_id": zone.organization_id,
        "code": zone.code,
        "name": zone.name,
        "enterprise_id": zone.enterprise_id,
        "crop": zone.crop.code if zone.crop else None,
        "planting_area_code": zone.planting_area_code,
        "description": zone.description,
        "plot_ids": sorted(p.pk for p in zone.plots.all()),
    }


@router.get("/zones", response=list[ZoneOut], summary="Raw-material zones")
@paginate(Pages)
def list_zones(request: HttpRequest, organization_id: int | None = None):
    organization = None
    if organization_id:
        organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    return [_zone_out(z) for z in selectors.zone_list(request.user, organization=organization)]


@router.get("/zones/{zone_id}", response=ZoneOut)
def get_zone(request: HttpRequest, zone_id: int):
    return _zone_out(get_scoped(RawMaterialZone.objects.all(), request.user, pk=zone_id))


@router.post("/organizations/{organization_id}/zones", response={201: ZoneOut})
def create_zone(request: HttpRequest, organization_id: int, payload: ZoneIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = Organization.objects.filter(
            pk=payload.enterprise_id, kind=Organization.Kind.ENTERPRISE
        ).first()
        if enterprise is None:
            raise invalid("enterprise_id", _("is not an enterprise"), payload.enterprise_id)
    crop = None
    if payload.crop:
        crop = Crop.objects.filter(code=payload.crop).first()
        if crop is None:
            raise invalid("crop", _("is not a crop of the catalogue"), payload.crop)
    plots = list(Plot.objects.filter(organization=organization, pk__in=payload.plot_ids))
    missing = set(payload.plot_ids) - {p.pk for p in plots}
    if missing:
        raise NotFound(
            detail=_("No plot of this cooperative has id %(id)d.") % {"id": min(missing)}
        )
    zone = services.create_zone(
        organization=organization,
        code=payload.code,
        name=payload.name,
        by=request.user,
        enterprise=enterprise,
        crop=crop,
        planting_area_code=payload.planting_area_code,
        description=payload.description,
        plots=plots,
    )
    return 201, _zone_out(zone)
