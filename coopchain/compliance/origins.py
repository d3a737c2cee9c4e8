"""A lot's origins, read from the ledger: the harvest lots its backward trace reaches, and the
plots, households, crops and harvest dates behind them.

A harvest lot is one with a harvesting household or with no lot before it. Its plots come
from the diary entry that made it (every plot of a harvest recorded on several plots), else
from its origin location when that is a plot's location URI. A harvest lot whose plot cannot
be found is kept as an origin without a plot: claims and the EUDR statement name it rather
than silently leave it out.

These functions read every origin whoever asks: callers first make sure the user may see
the lot (`coopchain.trace.selectors.access_lot`); the origins are what the lot is made of.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Prefetch

from coopchain.diary.models import Activity, ActivityPlot, LotEligibility
from coopchain.land.models import Crop, Plot
from coopchain.trace import genealogy
from coopchain.trace.models import Lot


@dataclass
class Origin:
    """One harvest lot at the start of the chain."""

    lot: Lot
    plots: list[Plot] = field(default_factory=list)
    crop: Crop | None = None
    eligibility: LotEligibility | None = None

    @property
    def harvested_on(self) -> date | None:
        return self.lot.harvest_ended_on or self.lot.harvest_started_on

    @property
    def label(self) -> str:
        return self.lot.lot_number or self.lot.epc


@dataclass
class Origins:
    lot: Lot
    origins: list[Origin]

    @property
    def plots(self) -> list[Plot]:
        seen: dict[int, Plot] = {}
        for origin in self.origins:
            for plot in origin.plots:
                seen.setdefault(plot.pk, plot)
        return sorted(seen.values(), key=lambda p: (p.organization_id, p.code))

    @property
    def without_plot(self) -> list[Origin]:
        return [o for o in self.origins if not o.plots]

    def lots_of(self, plot: Plot) -> list[Origin]:
        return [o for o in self.origins if any(p.pk == plot.pk for p in o.plots)]

    @property
    def crops(self) -> list[Crop]:
        seen = {o.crop.pk: o.crop for o in self.origins if o.crop is not None}
        return list(seen.values())


_PLOT_URI = re.compile(r"/plots/(\d+)$")


def _plot_id(location: str) -> int | None:
    """The plot a location URI names, when it is one of the platform's plot URIs."""
    if not location.startswith(settings.PUBLIC_BASE_URL + "/"):
        return None
    match = _PLOT_URI.search(location)
    return int(match.group(1)) if match else None


def origins_of(lot: Lot) -> Origins:
    """The origins of `lot` (itself, when it is a harvest lot)."""
    walk = genealogy.backward(lot.pk)
    targets = {edge.target for edge in walk.edges}
    lots = Lot.objects.filter(pk__in=list(walk.lots)).select_related("harvested_by", "product")
    harvest_lots = [
        candidate
        for candidate in lots
        if candidate.harvested_by_id is not None or candidate.pk not in targets
    ]
    ids = [h.pk for h in harvest_lots]
    entries = {
        a.lot_id: a
        for a in Activity.objects.filter(lot_id__in=ids)
        .select_related("crop", "eligibility")
        .prefetch_related(
            Prefetch(
                "plot_links",
                queryset=ActivityPlot.objects.select_related(
                    "plot__member", "plot__ward", "plot__organization"
                ),
            )
        )
    }
    by_location = {h.pk: _plot_id(h.origin_location) for h in harvest_lots}
    located = {
        p.pk: p
        for p in Plot.objects.filter(
            pk__in=[i for i in by_location.values() if i is not None]
        ).select_related("member", "ward", "organization")
    }
    origins = []
    for harvest_lot in sorted(harvest_lots, key=lambda h: (h.created_at, h.pk)):
        entry = entries.get(harvest_lot.pk)
        if entry is not None:
            plots = [link.plot for link in entry.plot_links.all()]
            crop = entry.crop
            eligibility = getattr(entry, "eligibility", None)
        else:
            plot = located.get(by_location[harvest_lot.pk] or 0)
            plots = [plot] if plot is not None else []
            crop = None
            eligibility = None
        origins.append(Origin(harvest_lot, plots, crop, eligibility))
    return Origins(lot=lot, origins=origins)
