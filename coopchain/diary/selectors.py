"""Reads of the diary used by pages and the API: entries with their findings."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from coopchain.diary import rules
from coopchain.diary.facts import to_facts, with_facts
from coopchain.diary.models import Activity, ActivityLine, InputProduct
from coopchain.land.models import Plot
from coopchain.lib.text import fold
from coopchain.parties.models import Member, Organization
from coopchain.parties.tenancy import scope


def activities(
    user: Any,
    *,
    organization: Organization | None = None,
    plot: Plot | None = None,
    household: Member | None = None,
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    include_superseded: bool = False,
) -> QuerySet[Activity]:
    """Diary entries the user may see, newest first; only the current ones unless asked."""
    entries = scope(Activity.objects.all(), user)
    if not include_superseded:
        entries = entries.current()
    if organization is not None:
        entries = entries.filter(organization=organization)
    if plot is not None:
        entries = entries.filter(plot_links__plot=plot)
    if household is not None:
        entries = entries.filter(household=household)
    if kind:
        entries = entries.filter(kind=kind)
    if date_from:
        entries = entries.filter(performed_on__gte=date_from)
    if date_to:
        entries = entries.filter(performed_on__lte=date_to)
    return (
        entries.distinct()
        .select_related(
            "household",
            "crop",
            "performed_by",
            "recorded_by",
            "lot",
            "eligibility",
            "corrects",
            "correction",
        )
        .prefetch_related(
            "plot_links__plot",
            Prefetch("lines", queryset=ActivityLine.objects.select_related("product")),
        )
    )


@dataclass
class FoundEntry:
    """An entry with what the rules say about it."""

    activity: Activity
    findings: list[rules.Finding] = field(default_factory=list)


@dataclass
class FindingRow:
    finding: rules.Finding
    activity: Activity
    cause: Activity | None = None


def _current_findings(entries: QuerySet[Activity]) -> list[rules.Finding]:
    return rules.diary_findings(to_facts(with_facts(entries)))


def household_findings(user: Any, household: Member) -> dict[int, list[rules.Finding]]:
    """Findings on each current entry of a household's diary, by entry id."""
    entries = scope(Activity.objects.current(), user).filter(household=household)
    by_entry: dict[int, list[rules.Finding]] = {}
    for finding in _current_findings(entries):
        by_entry.setdefault(finding.entry_id, []).append(finding)
    return by_entry


def plot_diary(user: Any, plot: Plot, *, history: bool = False) -> list[FoundEntry]:
    """A plot's diary, newest first, each entry with its findings; with `history`, corrected
    and withdrawn entries too (they carry none: they no longer stand)."""
    findings = household_findings(user, plot.member)
    entries = activities(user, plot=plot, include_superseded=history)
    return [FoundEntry(a, findings.get(a.pk, [])) for a in entries]


def running_intervals(user: Any, plot: Plot, *, on: date | None = None) -> list[dict[str, Any]]:
    """For each crop on the plot, the applications whose pre-harvest interval still runs."""
    on = on or timezone.localdate()
    entries = to_facts(
        with_facts(
            scope(Activity.objects.current(), user)
            .filter(plot_links__plot=plot, performed_on__gte=on - timedelta(days=365))
            .distinct()
        )
    )
    running = []
    for planting in plot.crops.select_related("crop").filter(ended_year__isnull=True):
        crop = rules.CropFacts(planting.crop_id, planting.crop.label)
        dates = rules.safe_harvest_dates(entries, crop=crop, plot_id=plot.pk, on=on)
        if dates:
            running.append({"crop": crop.name, "safe_from": dates[0][0], "product": dates[0][1]})
    return running


def findings_list(
    user: Any,
    *,
    organization: Organization | None,
    household: Member | None = None,
    plot: Plot | None = None,
    code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[FindingRow]:
    """Findings across the cooperative's diaries (a farmer's: their own), newest first.

    Entries up to a season before `date_from` are read too, as a harvest's interval reaches
    back to them; the findings shown are those dated within the range.
    """
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - timedelta(days=rules.SEASON_DAYS)
    entries = scope(Activity.objects.current(), user).filter(
        performed_on__gte=date_from - timedelta(days=rules.SEASON_DAYS),
        performed_on__lte=date_to,
    )
    if organization is not None:
        entries = entries.filter(organization=organization)
    if household is not None:
        entries = entries.filter(household=household)
    if plot is not None:
        entries = entries.filter(plot_links__plot=plot).distinct()
    found = [
        f
        for f in _current_findings(entries)
        if date_from <= f.on <= date_to and (not code or f.code == code)
    ]
    ids = {f.entry_id for f in found} | {f.cause_entry_id for f in found if f.cause_entry_id}
    by_id = {a.pk: a for a in activities(user, include_superseded=True).filter(pk__in=ids)}
    rows = [
        FindingRow(f, by_id[f.entry_id], by_id.get(f.cause_entry_id))
        for f in found
        if f.entry_id in by_id
    ]
    rows.sort(key=lambda r: (r.finding.on, r.activity.pk), reverse=True)
    return rows


def history_of(activity: Activity) -> list[Activity]:
    """Every version of an entry, oldest first: the first record and each correction."""
    first = activity
    while first.corrects_id:
        first = Activity.objects.select_related("corrects").get(pk=first.corrects_id)
    versions = [first]
    while True:
        following = (
            Activity.objects.filter(corrects=versions[-1])
            .select_related("recorded_by", "crop", "lot", "eligibility")
            .prefetch_related("plot_links__plot", "lines__product")
            .first()
        )
        if following is None:
            return versions
        versions.append(following)


def input_products(
    user: Any,
    *,
    organization: Organization | None,
    kind: str = "",
    search: str = "",
    banned: bool | None = None,
) -> QuerySet[InputProduct]:
    """The shared catalogue and the cooperative's own products, as the user may see them."""
    products = scope(InputProduct.objects.all(), user)
    if organization is not None:
        products = products.available_to(organization)
    if kind:
        products = products.filter(kind=kind)
    folded = fold(search)
    if folded:
        products = products.filter(
            Q(search_name__contains=folded) | Q(active_ingredients__icontains=search.strip())
        )
    if banned is not None:
        products = products.filter(banned=banned)
    return products.prefetch_related("phis__crop").select_related("organization")


def products_for_entry(
    user: Any, *, organization: Organization, household: Member | None, kinds: Iterable[str]
) -> list[InputProduct]:
    """The short list a form offers: what the household (else the cooperative) used most in
    the past year first, then the rest by name."""
    products = list(input_products(user, organization=organization).filter(kind__in=list(kinds)))
    since = timezone.localdate() - timedelta(days=365)
    used = ActivityLine.objects.filter(organization=organization, activity__performed_on__gte=since)
    if household is not None:
        used = used.filter(activity__household=household)
    counts = dict(used.values("product_id").annotate(n=Count("pk")).values_list("product_id", "n"))
    return sorted(products, key=lambda p: (-counts.get(p.pk, 0), p.banned, p.name.casefold()))


def recordable_plots(user: Any, *, organization: Organization) -> QuerySet[Plot]:
    """Plots the user may record entries on: a farmer's own, or the cooperative's."""
    return (
        scope(Plot.objects.active(), user)
        .filter(organization=organization)
        .select_related("member")
        .prefetch_related("crops__crop")
        .order_by("member__head_of_household", "code")
    )


def households_with_entries(user: Any, *, organization: Organization) -> QuerySet[Member]:
    """Households the user may see that have a diary, for filters."""
    households = Member.objects.filter(
        organization=organization, diary_entries__isnull=False
    ).distinct()
    return scope(households, user).order_by("head_of_household", "code")
