"""Platform staff read the ledger here; they never edit it (DESIGN.md principles 1 and 5)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coopchain.trace.models import Event, GenealogyEdge, Lot, Product, Recall, YieldFactor


class ReadOnlyAdmin(admin.ModelAdmin):
    """Events, lots and genealogy are written by the ledger service only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "gtin", "hs_code", "commodity", "unit", "organization"]
    list_filter = ["commodity", "unit"]
    search_fields = ["name", "gtin"]
    raw_id_fields = ["organization"]


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["epc", "lot_number", "kind", "product", "organization", "status", "published"]
    list_filter = ["kind", "status", "published"]
    search_fields = ["epc", "lot_number"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "event_type", "biz_step", "event_time", "organization"]
    list_filter = ["event_type", "biz_step"]
    search_fields = ["event_id"]
    date_hierarchy = "event_time"


@admin.register(GenealogyEdge)
class GenealogyEdgeAdmin(ReadOnlyAdmin):
    list_display = ["source", "target", "kind", "event", "ended_by"]
    list_filter = ["kind"]


@admin.register(Recall)
class RecallAdmin(ReadOnlyAdmin):
    list_display = ["lot", "organization", "started_at", "started_by"]


@admin.register(YieldFactor)
class YieldFactorAdmin(admin.ModelAdmin):
    list_display = ["input_product", "output_product", "factor", "tolerance", "organization"]
    raw_id_fields = ["organization", "input_product", "output_product"]
