from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class CropOut(Schema):
    code: str
    name: str
    name_vi: str
    category: str
    hs_heading: str
    eudr_commodity: str
    colour: str


class PlotCropOut(Schema):
    id: int
    crop: str = Field(..., description="crop code in the catalogue")
    crop_name: str
    variety: str
    planting_year: int | None
    tree_count: int | None
    area_share_pct: Decimal | None
    ended_year: int | None


class PlotFindingOut(Schema):
    code: str
    severity: str = Field(..., description="warning (errors are refused, never stored)")
    where: str = Field(..., description='"geometry.coordinates[0][3]" or another input field')
    reason: str


class GeometryHistoryOut(Schema):
    geometry: dict[str, Any]
    area_ha: Decimal
    valid_from: datetime
    replaced_at: datetime
    note: str


class PlotOut(Schema):
    id: int
    organization_id: int
    code: str
    name: str
    member_id: int
    member_code: str
    ward_code: str | None
    shape: str
    area_ha: Decimal = Field(
        ..., description="geodesic area of the polygon(s); for a point, the declared area"
    )
    declared_area_ha: Decimal | None
    area_differs_from_declared: bool
    centroid_lat: Decimal
    centroid_lon: Decimal
    bbox: list[float] = Field(..., description="[min lon, min lat, max lon, max lat]")
    planting_area_code: str
    land_certificate_ref: str
    status: str
    crops: list[PlotCropOut]
    findings: list[PlotFindingOut]
    created_at: datetime
    updated_at: datetime


class PlotDetailOut(PlotOut):
    geometry: dict[str, Any] = Field(..., description="GeoJSON (RFC 7946), [longitude, latitude]")
    history: list[GeometryHistoryOut]


class PlotIn(Schema):
    code: str
    member_code: str
    geometry: dict[str, Any] = Field(
        ...,
        description="GeoJSON Polygon, MultiPolygon, or Point (a plot of at most 4 ha, with "
        "declared_area_ha), positions [longitude, latitude] with 6 decimals",
    )
    name: str = ""
    ward_code: str = ""
    declared_area_ha: Decimal | None = None
    planting_area_code: str = ""
    land_certificate_ref: str = ""
    status: str = "active"


class PlotUpdateIn(PlotIn):
    note: str = Field("", description="why the boundary changed, kept with the old one")


class GeometryCheckIn(Schema):
    geometry: dict[str, Any]
    declared_area_ha: Decimal | None = None


class GeometryCheckOut(Schema):
    ok: bool
    shape: str
    area_ha: Decimal | None
    findings: list[PlotFindingOut]


class PlotCropIn(Schema):
    crop: str = Field(..., description="crop code in the catalogue, e.g. coffee-robusta")
    variety: str = ""
    planting_year: int | None = None
    tree_count: int | None = None
    area_share_pct: Decimal | None = None


class ZoneOut(Schema):
    id: int
    organization_id: int
    code: str
    name: str
    enterprise_id: int | None
    crop: str | None
    planting_area_code: str
    description: str
    plot_ids: list[int]


class ZoneIn(Schema):
    code: str
    name: str
    enterprise_id: int | None = None
    crop: str | None = None
    planting_area_code: str = ""
    description: str = ""
    plot_ids: list[int] = []


class PlotImportProblemOut(Schema):
    field: str
    reason: str
    value: Any = None
    row: int | None = None


class PlotImportReportOut(Schema):
    kind: str
    filename: str
    dry_run: bool
    written: bool
    detail: str
    unit: str = Field(..., description="what `row` counts: feature, placemark or row")
    plots: int
    created: int
    updated: int
    unchanged: int
    errors: list[PlotImportProblemOut]
    warnings: list[PlotImportProblemOut]
