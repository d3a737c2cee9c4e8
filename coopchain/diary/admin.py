from django.contrib import admin
from django.http import HttpRequest

from coopchain.diary.models import (
    Activity,
    ActivityLine,
    ActivityPlot,
    InputProduct,
    InputProductPHI,
    LotEligibility,
)


class PHIInline(admin.TabularInline):
    model = InputProductPHI
    extra = 0


@admin.register(InputProduct)
class InputProductAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "banned", "max_dose_per_ha", "is_sample"]
    list_filter = ["kind", "banned", "is_sample"]
    search_fields = ["name", "active_ingredients", "registration_number"]
    inlines = [PHIInline]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PlotInline(_ReadOnlyInline):
    model = ActivityPlot


class LineInline(_ReadOnlyInline):
    model = ActivityLine


class _Evidence(admin.ModelAdmin):
    """Diary entries are evidence: the admin shows them and changes nothing (corrections are
    new entries, made through the diary)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(_Evidence):
    list_display = ["performed_on", "kind", "household", "organization", "corrects", "withdrawn"]
    list_filter = ["kind", "withdrawn"]
    search_fields = ["household__head_of_household", "household__code", "notes"]
    date_hierarchy = "performed_on"
    inlines = [PlotInline, LineInline]


@admin.register(LotEligibility)
class LotEligibilityAdmin(_Evidence):
    list_display = ["lot", "eligible", "organization", "checked_at"]
    list_filter = ["eligible"]
