"""Diary entries turned into the plain facts `coopchain.diary.rules` reads."""

from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from coopchain.diary import rules
from coopchain.diary.models import Activity, ActivityLine, ActivityPlot, InputProduct
from coopchain.land.models import Crop, PlotCrop


def with_facts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The queryset with everything `to_facts` reads, fetched in a fixed number of queries."""
    return activities.select_related("crop").prefetch_related(
        Prefetch(
            "plot_links",
            queryset=ActivityPlot.objects.select_related("plot").prefetch_related(
                Prefetch("plot__crops", queryset=PlotCrop.objects.select_related("crop"))
            ),
        ),
        Prefetch(
            "lines",
            queryset=ActivityLine.objects.select_related("product").prefetch_related(
                "product__phis"
            ),
        ),
    )


def _crop(crop: Crop) -> rules.CropFacts:
    return rules.CropFacts(id=crop.pk, name=crop.label)


def product_facts(product: InputProduct) -> rules.ProductFacts:
    return rules.ProductFacts(
        id=product.pk,
        name=product.name,
        kind=product.kind,
        banned=product.banned,
        banned_reason=product.banned_reason,
        max_dose_per_ha=product.max_dose_per_ha,
        dose_unit=product.dose_unit,
        phi_days={p.crop_id: p.days for p in product.phis.all()},
    )


def to_facts(activities: Iterable[Activity]) -> list[rules.EntryFacts]:
    """Facts of entries fetched through `with_facts`."""
    products: dict[int, rules.ProductFacts] = {}
    facts = []
    for activity in activities:
        plots = [link.plot for link in activity.plot_links.all()]
        year = activity.performed_on.year
        plot_crops: dict[int, rules.CropFacts] = {}
        for plot in plots:
            for planting in plot.crops.all():
                # Crops ended in an earlier year were not on the plot on the entry's date.
                if planting.ended_year is None or planting.ended_year >= year:
                    plot_crops.setdefault(planting.crop_id, _crop(planting.crop))
        lines = []
        for line in activity.lines.all():
            if line.product_id not in products:
                products[line.product_id] = product_facts(line.product)
            lines.append(rules.LineFacts(products[line.product_id], line.quantity, line.unit))
        area = activity.area_treated_ha
        if area is None:
            area = sum((p.area_ha or Decimal(0) for p in plots), Decimal(0)) or None
        facts.append(
            rules.EntryFacts(
                id=activity.pk,
                kind=activity.kind,
                on=activity.performed_on,
                plot_ids=frozenset(p.pk for p in plots),
                crop=_crop(activity.crop) if activity.crop_id else None,
                plot_crops=tuple(plot_crops.values()),
                area_ha=area,
                lines=tuple(lines),
            )
        )
    return facts


def entry_facts(activity: Activity) -> rules.EntryFacts:
    return to_facts(with_facts(Activity.objects.filter(pk=activity.pk)))[0]


def history_for(entry: Activity | rules.EntryFacts) -> list[rules.EntryFacts]:
    """The current entries a harvest on these plots is checked against: those of the season
    before it, which reaches further back than any pre-harvest interval."""
    if isinstance(entry, Activity):
        plot_ids = list(entry.plot_links.values_list("plot_id", flat=True))
        on, own_id = entry.performed_on, entry.pk
    else:
        plot_ids, on, own_id = list(entry.plot_ids), entry.on, entry.id
    activities = (
        Activity.objects.current()
        .filter(plot_links__plot_id__in=plot_ids)
        .filter(performed_on__lte=on, performed_on__gte=on - timedelta(days=rules.SEASON_DAYS))
        .exclude(pk=own_id)
        .distinct()
    )
    return to_facts(with_facts(activities))
