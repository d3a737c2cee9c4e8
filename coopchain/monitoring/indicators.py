"""The figures early warning reads from households and deliveries, for many cooperatives at once.

Counting a cooperative's members on two days and summing its deliveries against every contract
window grows with its households and deliveries; done cooperative by cooperative for a
province's dashboard it is thousands of queries. Here the same figures are computed in two
grouped queries for any set of cooperatives, and kept per cooperative and day in
`CooperativeIndicators` by `refresh_indicators`. A write that changes them drops the kept row
(see signals.py), so a kept row always equals what the records say on its day.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from coopchain.monitoring.models import (
    CooperativeIndicators,
    CooperativeReport,
    CooperativeYearRating,
)
from coopchain.parties.models import Member, Organization

# A contract window is behind when under this share of its quantity was delivered by its end.
BEHIND_SHARE = Decimal("0.8")
# Windows that ended this many days before the day looked at still count.
BEHIND_DAYS = 183


# A cooperative's grade and points (None when not rated) on its reports up to a year's end.
YearRating = tuple[str, int | None]


@dataclass(frozen=True)
class Figures:
    """What early warning needs of a cooperative's households and deliveries on a day."""

    members_now: int
    members_year_before: int
    # Delivery windows behind, earliest first: (window with its contract, kg delivered).
    behind: list[tuple[Any, Decimal]] = field(default_factory=list)


def _ids(organizations: QuerySet[Organization] | Iterable[Organization]) -> Any:
    if isinstance(organizations, QuerySet):
        return organizations.values("pk")
    return [o.pk for o in organizations]


def _members_on(ids: Any, on: date) -> dict[int, int]:
    return dict(
        Member.objects.filter(organization__in=ids)
        .active(on)
        .order_by()
        .values_list("organization_id")
        .annotate(n=Count("pk", distinct=True))
    )


def windows_behind(ids: Any, *, on: date) -> dict[int, list[tuple[Any, Decimal]]]:
    """Delivery windows of the cooperatives' contracts that ended in the last six months with
    under 80 % of their quantity delivered, per seller, earliest first."""
    from coopchain.contracts.models import DeliveryWindow, LinkageContract

    windows = (
        DeliveryWindow.objects.filter(
            contract__seller__in=ids,
            contract__status__in=[
                LinkageContract.Status.SIGNED,
                LinkageContract.Status.ACTIVE,
                LinkageContract.Status.COMPLETED,
            ],
            ends_on__lt=on,
            ends_on__gte=on - timedelta(days=BEHIND_DAYS),
        )
        .select_related("contract")
        .annotate(delivered=Sum("deliveries__quantity_kg"))
        .order_by("starts_on", "pk")
    )
    found: dict[int, list[tuple[Any, Decimal]]] = {}
    for window in windows:
        delivered = window.delivered or Decimal(0)
        if delivered < window.quantity_kg * BEHIND_SHARE:
            found.setdefault(window.contract.seller_id, []).append((window, delivered))
    return found


def live_figures(
    organizations: QuerySet[Organization] | Iterable[Organization], *, on: date
) -> dict[int, Figures]:
    """The figures straight from the records, for every cooperative given."""
    ids = _ids(organizations)
    now = _members_on(ids, on)
    before = _members_on(ids, on - timedelta(days=365))
    behind = windows_behind(ids, on=on)
    pks = [row["pk"] for row in ids] if isinstance(ids, QuerySet) else ids
    return {pk: Figures(now.get(pk, 0), before.get(pk, 0), behind.get(pk, [])) for pk in pks}


def kept_figures(organizations: list[Organization], *, on: date) -> dict[int, Figures]:
    """The figures for the cooperatives given: from the kept rows of that day, and straight
    from the records for any cooperative without one."""
    from coopchain.contracts.models import DeliveryWindow

    rows = {
        row.organization_id: row
        for row in CooperativeIndicators.objects.filter(
            organization__in=[o.pk for o in organizations], as_of=on
        )
    }
    window_ids = [r.behind_window_id for r in rows.values() if r.behind_window_id]
    windows = DeliveryWindow.objects.select_related("contract").in_bulk(window_ids)
    found: dict[int, Figures] = {}
    for pk, row in rows.items():
        window = windows.get(row.behind_window_id) if row.behind_window_id else None
        behind = [(window, row.behind_delivered)] if window is not None else []
        found[pk] = Figures(row.members_now, row.members_year_before, behind)
    missing = [o for o in organizations if o.pk not in found]
    if missing:
        found.update(live_figures(missing, on=on))
    return found


@transaction.atomic
def refresh_indicators(
    *, organizations: QuerySet[Organization] | None = None, on: date | None = None
) -> int:
    """Keep every cooperative's figures for the day (today unless given) and its rating year by
    year, replacing the kept rows of those cooperatives; returns how many cooperatives."""
    from coopchain.monitoring.selectors import COOPERATIVE_KINDS

    on = on or timezone.localdate()
    if organizations is None:
        organizations = Organization.objects.filter(kind__in=COOPERATIVE_KINDS)
    organizations = organizations.order_by()
    figures = live_figures(organizations, on=on)
    ratings = live_year_ratings(organizations)
    CooperativeYearRating.objects.filter(organization__in=organizations.values("pk")).delete()
    CooperativeYearRating.objects.bulk_create(
        [
            CooperativeYearRating(organization_id=pk, year=year, grade=grade, score=score)
            for (pk, year), (grade, score) in ratings.items()
        ],
        batch_size=2_000,
    )
    CooperativeIndicators.objects.filter(organization__in=organizations.values("pk")).delete()
    CooperativeIndicators.objects.bulk_create(
        [
            CooperativeIndicators(
                organization_id=pk,
                as_of=on,
                members_now=f.members_now,
                members_year_before=f.members_year_before,
                behind_window_id=f.behind[0][0].pk if f.behind else None,
                behind_delivered=f.behind[0][1] if f.behind else None,
                behind_windows=len(f.behind),
            )
            for pk, f in figures.items()
        ],
        batch_size=2_000,
    )
    return len(figures)


def live_year_ratings(
    organizations: QuerySet[Organization] | Iterable[Organization],
) -> dict[tuple[int, int], YearRating]:
    """Each cooperative's rating for every year it reported, rated from its reports."""
    from coopchain.monitoring.selectors import current_versions, rating_in_year

    reports: dict[int, list[CooperativeReport]] = {}
    for report in CooperativeReport.objects.filter(organization__in=_ids(organizations)):
        reports.setdefault(report.organization_id, []).append(report)
    found: dict[tuple[int, int], YearRating] = {}
    for organization in organizations:
        ordered = current_versions(reports.get(organization.pk, []))
        for year in sorted({r.year for r in ordered}):
            rating = rating_in_year(organization, ordered, year)
            found[(organization.pk, year)] = (rating.grade, rating.score)
    return found


def kept_year_ratings(organization_ids: list[int]) -> dict[tuple[int, int], YearRating]:
    """The kept ratings of the cooperatives given; a cooperative whose rows were dropped has
    none, and is rated from its reports by whoever reads."""
    rows = CooperativeYearRating.objects.filter(organization__in=organization_ids).values_list(
        "organization_id", "year", "grade", "score"
    )
    return {(pk, year): (grade, score) for pk, year, grade, score in rows}
