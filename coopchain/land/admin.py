from django.contrib import admin

from coopchain.land.models import Crop, Plot, PlotCrop, PlotGeometryHistory, RawMaterialZone


@admin.register(Crop)
class CropAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_vi", "category", "hs_heading", "eudr_commodity"]
    list_filter = ["category", "eudr_commodity"]


class PlotCropInline(admin.TabularInline):
    model = PlotCrop
    extra = 0
    exclude = ["organization"]


@admin.register(Plot)
class PlotAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "member", "organization", "shape", "area_ha", "status"]
    list_filter = ["organization", "status", "shape"]
    search_fields = ["code", "name", "member__code", "member__search_name"]
    raw_id_fields = ["member", "ward"]
    # Geometry and its derived fields change only through the land services (history kept).
    readonly_fields = [
        "geometry",
        "shape",
        "area_ha",
        "centroid_lat",
        "centroid_lon",
        "bbox_min_lon",
        "bbox_min_lat",
        "bbox_max_lon",
        "bbox_max_lat",
        "geometry_findings",
    ]
    inlines = [PlotCropInline]


@admin.register(PlotGeometryHistory)
class PlotGeometryHistoryAdmin(admin.ModelAdmin):
    list_display = ["plot", "area_ha", "valid_from", "replaced_at", "replaced_by"]
    raw_id_fields = ["plot"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RawMaterialZone)
class RawMaterialZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organization", "enterprise", "crop"]
    raw_id_fields = ["organization", "enterprise"]
