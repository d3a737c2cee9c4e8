"""Every write to the farm diary, with its rules.

Entries are appended, never changed: `correct_activity` and `withdraw_activity` add an entry
that points at the one it corrects. A harvest also creates its lot and writes the lot's
commissioning event through the ledger (`coopchain.trace.services.record_events`).
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.diary import harvests, rules
from coopchain.diary.facts import entry_facts, history_for
from coopchain.diary.models import (
    Activity,
    ActivityLine,
    ActivityPlot,
    InputProduct,
    InputProductPHI,
    LotEligibility,
)
from coopchain.diary.tenancy import require_diary_write
from coopchain.diary.units import DOSE_UNITS, HARVEST_UNITS, INPUT_UNITS
from coopchain.errors import Conflict, FieldError, InvalidInput, invalid
from coopchain.land.models import Crop, Plot
from coopchain.lib.text import normalise_name
from coopchain.parties.models import Member, Organization
from coopchain.parties.tenancy import require_write, scope

# --- Input products -------------------------------------------------------------------------


@dataclass(frozen=True)
class InputProductData:
    """A product as a person types it; shared by the form, the API and imports."""

    name: str
    kind: str
    active_ingredients: str = ""
    registration_number: str = ""
    banned: bool = False
    banned_reason: str = ""
    max_dose_per_ha: Decimal | None = None
    dose_unit: str = ""
    # Crop code -> pre-harvest interval in days.
    phi_days: dict[str, int] = field(default_factory=dict)
    notes: str = ""


def check_input_product_data(data: InputProductData, *, row: int | None = None) -> list[FieldError]:
    """Every reason the data cannot be a product; empty when it can."""
    errors: list[FieldError] = []

    def refuse(name: str, reason: str, value: Any) -> None:
        errors.append(FieldError(field=name, reason=reason, value=value, row=row))

    if not data.name.strip():
        refuse("name", _("is required"), data.name)
    elif len(data.name.strip()) > 200:
        refuse("name", _("is longer than 200 characters"), data.name)
    if data.kind not in InputProduct.Kind.values:
        refuse(
            "kind",
            _("must be one of: %(kinds)s") % {"kinds": ", ".join(InputProduct.Kind.values)},
            data.kind,
        )
    if data.max_dose_per_ha is not None:
        if data.max_dose_per_ha <= 0:
            refuse("max_dose_per_ha", _("must be more than 0"), str(data.max_dose_per_ha))
        if data.dose_unit not in DOSE_UNITS:
            refuse(
                "dose_unit",
                _("must be KGM (kg per ha) or LTR (litres per ha) when a maximum dose is given"),
                data.dose_unit,
            )
    elif data.dose_unit and data.dose_unit not in DOSE_UNITS:
        refuse("dose_unit", _("must be KGM (kg per ha) or LTR (litres per ha)"), data.dose_unit)
    if data.phi_days:
        known = set(Crop.objects.filter(code__in=data.phi_days).values_list("code", flat=True))
        for code, days in data.phi_days.items():
            if code not in known:
                refuse(
                    "phi_days", _("%(code)s is not a crop of the catalogue") % {"code": code}, code
                )
            elif not isinstance(days, int) or not 0 <= days <= 365:
                refuse("phi_days", _("must be a whole number of days, 0 to 365"), f"{code}: {days}")
    return errors


def _product_fields(data: InputProductData) -> dict[str, Any]:
    return {
        "name": normalise_name(data.name),
        "kind": data.kind,
        "active_ingredients": normalise_name(data.active_ingredients),
        "registration_number": data.registration_number.strip(),
        "banned": data.banned,
        "banned_reason": normalise_name(data.banned_reason),
        "max_dose_per_ha": data.max_dose_per_ha,
        "dose_unit": data.dose_unit if data.max_dose_per_ha is not None else "",
        "notes": data.notes.strip(),
    }


def _set_phis(product: InputProduct, phi_days: dict[str, int]) -> None:
    crops = dict(Crop.objects.filter(code__in=phi_days).values_list("code", "pk"))
    product.phis.exclude(crop_id__in=crops.values()).delete()
    for code, days in phi_days.items():
        InputProductPHI.objects.update_or_create(
            product=product, crop_id=crops[code], defaults={"days": days}
        )


@transaction.atomic
def create_input_product(
    *, organization: Organization, data: InputProductData, by: Any
) -> InputProduct:
    """Add a product to a cooperative's own list (the shared catalogue is the platform's)."""
    require_write(by, organization)
    errors = check_input_product_data(data)
    if errors:
        raise InvalidInput(detail=_("The product was not saved."), errors=errors)
    fields = _product_fields(data)
    if InputProduct.objects.filter(organization=organization, name=fields["name"]).exists():
        raise Conflict(
            detail=_("%(name)s is already in your list.") % {"name": fields["name"]},
            errors=[FieldError("name", _("is already used"), fields["name"])],
        )
    product = InputProduct.objects.create(organization=organization, **fields)
    _set_phis(product, data.phi_days)
    return product


@transaction.atomic
def update_input_product(*, product: InputProduct, data: InputProductData, by: Any) -> InputProduct:
    """Change one of a cooperative's own products. Past entries are checked against the
    product as it is now: a corrected interval changes their findings too."""
    if product.organization is None:
        raise Conflict(detail=_("The shared catalogue is kept by the platform."))
    require_write(by, product.organization)
    errors = [e for e in check_input_product_data(data) if e.field != "name"]
    if errors:
        raise InvalidInput(detail=_("The product was not saved."), errors=errors)
    for name, value in _product_fields(data).items():
        if name != "name":
            setattr(product, name, value)
    product.save()
    _set_phis(product, data.phi_days)
    return product


def product_data(product: InputProduct) -> InputProductData:
    return InputProductData(
        name=product.name,
        kind=product.kind,
        active_ingredients=product.active_ingredients,
        registration_number=product.registration_number,
        banned=product.banned,
        banned_reason=product.banned_reason,
        max_dose_per_ha=product.max_dose_per_ha,
        dose_unit=product.dose_unit,
        phi_days={p.crop.code: p.days for p in product.phis.select_related("crop")},
        notes=product.notes,
    )


# --- Diary entries --------------------------------------------------------------------------


@dataclass(frozen=True)
class LineData:
    product_id: int
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class ActivityData:
    """One diary entry as the form, the API or an app sends it."""

    kind: str
    performed_on: date
    plot_ids: tuple[int, ...]
    lines: tuple[LineData, ...] = ()
    crop_code: str = ""
    performed_by_id: int | None = None
    worker_name: str = ""
    area_treated_ha: Decimal | None = None
    notes: str = ""
    harvest_quantity: Decimal | None = None
    harvest_unit: str = ""
    # Sent again with a retried submission, so the entry is recorded once.
    submission_id: uuid.UUID | None = None


@dataclass
class _Resolved:
    """The data's references, found within what the recording user may see."""

    organization: Organization
    household: Member | None = None
    plots: list[Plot] = field(default_factory=list)
    crop: Crop | None = None
    performed_by: Member | None = None
    products: dict[int, InputProduct] = field(default_factory=dict)


def _resolve(data: ActivityData, *, organization: Organization, by: Any) -> _Resolved:
    """Find what the data names, refusing with every reason at once."""
    errors: list[FieldError] = []
    found = _Resolved(organization=organization)

    def refuse(name: str, reason: str, value: Any = None) -> None:
        errors.append(FieldError(field=name, reason=reason, value=value))

    if data.kind not in Activity.Kind.values:
        refuse(
            "kind",
            _("must be one of: %(kinds)s") % {"kinds": ", ".join(Activity.Kind.values)},
            data.kind,
        )
    if data.performed_on > timezone.localdate():
        refuse("performed_on", _("is in the future"), data.performed_on.isoformat())

    plot_ids = list(dict.fromkeys(data.plot_ids))
    if not plot_ids:
        refuse("plots", _("choose at least one plot"))
    plots = {
        p.pk: p
        for p in scope(Plot.objects.filter(organization=organization), by)
        .filter(pk__in=plot_ids)
        .select_related("member__organization")
    }
    missing = [i for i in plot_ids if i not in plots]
    if missing:
        refuse("plots", _("no plot of yours has the number %(ids)s") % {"ids": missing}, missing)
    found.plots = [plots[i] for i in plot_ids if i in plots]
    households = {p.member_id for p in found.plots}
    if len(households) > 1:
        refuse("plots", _("all plots of one entry must be one household's"), plot_ids)
    elif found.plots:
        found.household = found.plots[0].member

    if data.crop_code:
        found.crop = Crop.objects.filter(code=data.crop_code).first()
        if found.crop is None:
            refuse("crop", _("is not a crop of the catalogue"), data.crop_code)
        elif found.plots:
            _check_crop_grown(found.crop, found.plots, refuse)
    elif data.kind == Activity.Kind.HARVEST:
        refuse("crop", _("say which crop was harvested"))

    if data.performed_by_id is not None:
        found.performed_by = Member.objects.filter(
            pk=data.performed_by_id, organization=organization
        ).first()
        if found.performed_by is None:
            refuse("performed_by", _("is not a member of this cooperative"), data.performed_by_id)
    if len(data.worker_name.strip()) > 120:
        refuse("worker_name", _("is longer than 120 characters"), data.worker_name)

    total_area = sum((p.area_ha or Decimal(0) for p in found.plots), Decimal(0))
    if data.area_treated_ha is not None:
        if data.area_treated_ha <= 0:
            refuse("area_treated_ha", _("must be more than 0"), str(data.area_treated_ha))
        elif total_area and data.area_treated_ha > total_area * Decimal("1.05"):
            refuse(
                "area_treated_ha",
                _("is more than the %(area)s ha of the plots chosen") % {"area": total_area},
                str(data.area_treated_ha),
            )

    _resolve_lines(data, organization, by, found, refuse)
    _check_harvest_fields(data, refuse)
    if errors:
        raise InvalidInput(detail=_("The entry was not saved."), errors=errors)
    return found


def _check_crop_grown(crop: Crop, plots: list[Plot], refuse: Any) -> None:
    # A plot whose crops were never recorded accepts any crop; one with crops names them.
    year = timezone.localdate().year
    for plot in plots:
        grown = {
            c.crop_id for c in plot.crops.all() if c.ended_year is None or c.ended_year >= year - 1
        }
        if grown and crop.pk not in grown:
            refuse(
                "crop",
                _("%(crop)s is not grown on plot %(plot)s") % {"crop": crop.label, "plot": plot},
                crop.code,
            )


def _resolve_lines(
    data: ActivityData, organization: Organization, by: Any, found: _Resolved, refuse: Any
) -> None:
    if data.kind == Activity.Kind.HARVEST and data.lines:
        refuse("lines", _("a harvest applies no product: record the input as its own entry"))
        return
    ids = {line.product_id for line in data.lines}
    found.products = {
        p.pk: p
        for p in scope(InputProduct.objects.available_to(organization), by)
        .filter(pk__in=ids)
        .prefetch_related("phis__crop")
    }
    for index, line in enumerate(data.lines):
        where = f"lines.{index}"
        if line.product_id not in found.products:
            refuse(f"{where}.product", _("is not a product of your list"), line.product_id)
        if line.quantity is None or line.quantity <= 0:
            refuse(f"{where}.quantity", _("must be more than 0"), str(line.quantity))
        if line.unit not in INPUT_UNITS:
            refuse(
                f"{where}.unit",
                _("must be one of: %(units)s") % {"units": ", ".join(INPUT_UNITS)},
                line.unit,
            )


def _check_harvest_fields(data: ActivityData, refuse: Any) -> None:
    if data.kind != Activity.Kind.HARVEST:
        if data.harvest_quantity is not None:
            refuse("harvest_quantity", _("is only for a harvest"), str(data.harvest_quantity))
        return
    if data.harvest_quantity is None or data.harvest_quantity <= 0:
        refuse("harvest_quantity", _("must be more than 0"), str(data.harvest_quantity))
    if data.harvest_unit not in HARVEST_UNITS:
        refuse(
            "harvest_unit",
            _("must be one of: %(units)s") % {"units": ", ".join(HARVEST_UNITS)},
            data.harvest_unit,
        )


def _already_submitted(organization: Organization, data: ActivityData) -> Activity | None:
    if data.submission_id is None:
        return None
    return Activity.objects.filter(
        organization=organization, submission_id=data.submission_id
    ).first()


def _write(
    data: ActivityData,
    found: _Resolved,
    *,
    by: Any,
    corrects: Activity | None = None,
    reason: str = "",
    withdrawn: bool = False,
) -> Activity:
    organization = found.organization
    activity = Activity.objects.create(
        organization=organization,
        household=found.household,
        kind=data.kind,
        performed_on=data.performed_on,
        performed_by=found.performed_by,
        worker_name=normalise_name(data.worker_name),
        crop=found.crop,
        area_treated_ha=data.area_treated_ha,
        notes=data.notes.strip(),
        harvest_quantity=data.harvest_quantity if data.kind == Activity.Kind.HARVEST else None,
        harvest_unit=data.harvest_unit if data.kind == Activity.Kind.HARVEST else "",
        corrects=corrects,
        withdrawn=withdrawn,
        correction_reason=normalise_name(reason),
        recorded_by=by,
        submission_id=data.submission_id,
    )
    ActivityPlot.objects.bulk_create(
        ActivityPlot(organization=organization, activity=activity, plot=plot)
        for plot in found.plots
    )
    ActivityLine.objects.bulk_create(
        ActivityLine(
            organization=organization,
            activity=activity,
            product=found.products[line.product_id],
            quantity=line.quantity,
            unit=line.unit,
        )
        for line in data.lines
    )
    if activity.is_harvest and not withdrawn:
        _commission_harvest(activity, found, by=by, replaces=corrects)
    return activity


def _commission_harvest(
    activity: Activity, found: _Resolved, *, by: Any, replaces: Activity | None
) -> None:
    """The harvest's lot, its commissioning event, and whether it may carry certified claims."""
    history = history_for(activity)
    findings = rules.harvest_findings(entry_facts(activity), history)
    lot = harvests.commission_lot(
        activity=activity, plots=found.plots, by=by, replaces=replaces.lot if replaces else None
    )
    activity.lot = lot
    activity.save(update_fields=["lot"])
    LotEligibility.objects.create(
        organization=activity.organization,
        lot=lot,
        harvest=activity,
        eligible=not findings,
        reasons=[f.as_dict() for f in findings],
    )


@transaction.atomic
def record_activity(*, organization: Organization, data: ActivityData, by: Any) -> Activity:
    """Append an entry to a household's diary. A harvest also gets its lot, its
    commissioning event in the ledger and its eligibility for certified claims; findings do
    not stop it (the farmer did harvest), they mark the lot.

    A retried submission (same `submission_id`) returns the entry recorded the first time.
    """
    existing = _already_submitted(organization, data)
    if existing is not None:
        return existing
    found = _resolve(data, organization=organization, by=by)
    require_diary_write(by, found.household)
    try:
        with transaction.atomic():
            return _write(data, found, by=by)
    except IntegrityError:
        # Two copies of one submission raced; the other one was recorded.
        existing = _already_submitted(organization, data)
        if existing is None:
            raise
        return existing


def _require_current(original: Activity) -> None:
    if original.withdrawn:
        raise Conflict(detail=_("A withdrawal cannot itself be corrected."))
    if Activity.objects.filter(corrects=original).exists():
        raise Conflict(
            detail=_("This entry was corrected already: correct the latest version instead.")
        )
    if original.lot_id and harvests.lot_was_used(original.lot):
        raise Conflict(
            detail=_(
                "This harvest's lot has already gone into other lots or shipments; "
                "correct it in the traceability records instead."
            )
        )


@transaction.atomic
def correct_activity(*, original: Activity, data: ActivityData, reason: str, by: Any) -> Activity:
    """Record what really happened in place of `original`, which stays in the history.

    A corrected harvest gets a new lot; the ledger declares the old lot's commissioning
    event erroneous, pointing at the new one.
    """
    original = Activity.objects.select_for_update().get(pk=original.pk)
    _require_current(original)
    if not reason.strip():
        raise invalid("reason", _("say what was wrong"))
    if original.is_harvest != (data.kind == Activity.Kind.HARVEST):
        raise invalid(
            "kind",
            _("a harvest is corrected by a harvest; withdraw the entry and record a new one"),
            data.kind,
        )
    found = _resolve(data, organization=original.organization, by=by)
    require_diary_write(by, original.household)
    if found.household != original.household:
        raise invalid("plots", _("a correction stays in the same household's diary"))
    return _write(data, found, by=by, corrects=original, reason=reason)


@transaction.atomic
def withdraw_activity(*, original: Activity, reason: str, by: Any) -> Activity:
    """Record that `original` never happened. It stays in the history, marked withdrawn;
    a withdrawn harvest's commissioning event is declared erroneous in the ledger."""
    original = Activity.objects.select_for_update().get(pk=original.pk)
    _require_current(original)
    require_diary_write(by, original.household)
    if not reason.strip():
        raise invalid("reason", _("say why the entry is withdrawn"))
    withdrawal = Activity.objects.create(
        organization=original.organization,
        household=original.household,
        kind=original.kind,
        performed_on=original.performed_on,
        crop=original.crop,
        corrects=original,
        withdrawn=True,
        correction_reason=normalise_name(reason),
        recorded_by=by,
    )
    ActivityPlot.objects.bulk_create(
        ActivityPlot(organization=original.organization, activity=withdrawal, plot_id=plot_id)
        for plot_id in original.plot_links.values_list("plot_id", flat=True)
    )
    if original.lot_id:
        harvests.withdraw_lot(lot=original.lot, by=by, reason=reason)
    return withdrawal


def activity_data(activity: Activity) -> ActivityData:
    """An entry as data, to start its correction from."""
    return ActivityData(
        kind=activity.kind,
        performed_on=activity.performed_on,
        plot_ids=tuple(activity.plot_links.values_list("plot_id", flat=True)),
        lines=tuple(
            LineData(product_id=line.product_id, quantity=line.quantity, unit=line.unit)
            for line in activity.lines.all()
        ),
        crop_code=activity.crop.code if activity.crop_id else "",
        performed_by_id=activity.performed_by_id,
        worker_name=activity.worker_name,
        area_treated_ha=activity.area_treated_ha,
        notes=activity.notes,
        harvest_quantity=activity.harvest_quantity,
        harvest_unit=activity.harvest_unit,
    )


def preview_harvest(
    *, organization: Organization, data: ActivityData, by: Any
) -> list[rules.Finding]:
    """The findings a harvest would have, without recording it (the form shows them first)."""
    found = _resolve(data, organization=organization, by=by)
    require_diary_write(by, found.household)
    entry = rules.EntryFacts(
        id=None,
        kind=data.kind,
        on=data.performed_on,
        plot_ids=frozenset(p.pk for p in found.plots),
        crop=rules.CropFacts(found.crop.pk, found.crop.label) if found.crop else None,
    )
    return rules.harvest_findings(entry, history_for(entry))
