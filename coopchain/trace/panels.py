"""Panels that apps above the ledger add to a lot's page (compliance's claims and readiness),
so that trace itself imports none of them."""

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from coopchain.trace.models import Lot

LotPanel = Callable[[HttpRequest, Lot], SafeString]
_lot_panels: list[LotPanel] = []


def register_lot_panel(panel: LotPanel) -> None:
    if panel not in _lot_panels:
        _lot_panels.append(panel)


def lot_panels(request: HttpRequest, lot: Lot) -> list[SafeString]:
    return [panel(request, lot) for panel in _lot_panels]
