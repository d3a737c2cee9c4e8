"""Harvest lots in the ledger: the diary's only door into `coopchain.trace`.

A harvest's lot gets a platform identifier and comes into being with its commissioning event
(an EPCIS ObjectEvent ADD) recorded by `coopchain.trace.services.record_event`: the lot's
quantity, the plot as business location and source, and the harvest date, country, crop and
member in its instance/lot master data (ILMD). A corrected harvest gets a new lot, and the
old lot's event an error declaration pointing at the new one; a withdrawn harvest's event is
declared "did not occur". Nothing is deleted.
"""

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone

from coopchain.diary.models import Activity
from coopchain.land.models import Plot
from coopchain.trace import services as ledger
from coopchain.trace.identifiers import issue_platform_lot_identifier, platform_code_of
from coopchain.trace.models import Event, EventObject, Lot

COMMISSIONING = "commissioning"
# Where the platform's own extension fields (ILMD beyond CBV master data) are defined.
EXTENSION_PREFIX = "coopchain"


def extension_namespace() -> str:
    return f"{settings.PUBLIC_BASE_URL}/ns/epcis#"


def plot_location_uri(plot: Plot) -> str:
    """The plot as an EPCIS location (read point, business location, source)."""
    return f"{settings.PUBLIC_BASE_URL}/plots/{plot.pk}"


def _event_time(activity: Activity) -> datetime:
    # A diary gives the day only: noon of that day, or now when noon has not come yet.
    noon = timezone.make_aware(datetime.combine(activity.performed_on, time(12, 0)))
    return min(noon, timezone.now())


def _context() -> list[Any]:
    return [ledger.EPCIS_CONTEXT, {EXTENSION_PREFIX: extension_namespace()}]


def commission_lot(
    *, activity: Activity, plots: list[Plot], by: Any, replaces: Lot | None = None
) -> Lot:
    """Create the harvest's lot through the ledger and return it.

    The caller has checked that `by` may write this household's diary; the ledger is told
    no user, since a farmer holds no write role in the cooperative's other records.
    """
    uri = issue_platform_lot_identifier()
    location = plot_location_uri(plots[0])
    household = activity.household
    event = ledger.commissioning_event(
        item=ledger.Quantity(uri, activity.harvest_quantity, activity.harvest_unit),
        event_time=_event_time(activity),
        location=location,
        lot_number=platform_code_of(uri) or "",
        harvest_started_on=activity.performed_on,
        harvest_ended_on=activity.performed_on,
        ilmd={
            "cbvmda:countryOfOrigin": "VN",
            f"{EXTENSION_PREFIX}:crop": activity.crop.code,
            f"{EXTENSION_PREFIX}:memberCode": household.code,
            f"{EXTENSION_PREFIX}:plotCodes": [p.code for p in plots],
            f"{EXTENSION_PREFIX}:diaryEntry": activity.pk,
        },
    )
    event["sourceList"] = [{"type": "location", "source": plot_location_uri(p)} for p in plots]
    result = ledger.record_event(
        organization=activity.organization,
        event=event,
        context=_context(),
        harvested_by=household,
    )
    new_event_id = result.event_ids[0]
    if replaces is not None:
        _declare_error(
            replaces, reason="incorrect_data", corrective_event_ids=[new_event_id], by=by
        )
    return next(lot for epc, lot in result.lots.items() if epc == uri or lot.epc == uri)


def _commissioning(lot: Lot) -> Event | None:
    return (
        Event.objects.filter(
            organization=lot.organization,
            event_objects__lot=lot,
            event_objects__role=EventObject.Role.EPC_CLASS,
            action="ADD",
            biz_step=COMMISSIONING,
            is_error_declaration=False,
        )
        .order_by("record_time", "pk")
        .first()
    )


def _declare_error(
    lot: Lot, *, reason: str, corrective_event_ids: list[str] | None = None, by: Any
) -> None:
    original = _commissioning(lot)
    if original is None or original.declared_erroneous_by_id:
        return
    declaration = ledger.error_declaration(
        event=original.document,
        declared_at=timezone.now(),
        reason=reason,
        corrective_event_ids=corrective_event_ids or (),
    )
    ledger.record_event(organization=lot.organization, event=declaration, context=_context())


def withdraw_lot(*, lot: Lot, by: Any, reason: str) -> None:
    """Declare the lot's commissioning event as one that did not occur."""
    _declare_error(lot, reason="did_not_occur", by=by)


def lot_was_used(lot: Lot) -> bool:
    """Whether anything but its own commissioning (and its corrections) names the lot."""
    own = _commissioning(lot)
    others = EventObject.objects.filter(lot=lot)
    if own is not None:
        others = others.exclude(event__event_id=own.event_id)
    return others.exists()
