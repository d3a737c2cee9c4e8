"""The diary through /api/v1/: input products, entries (appended, corrected, withdrawn, never
edited), harvests with their lot and findings, and findings across a cooperative."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from coopchain.diary import rules, selectors, services
from coopchain.diary.models import Activity, InputProduct
from coopchain.diary.schemas import (
    DiaryFindingOut,
    EntryCorrectionIn,
    EntryIn,
    EntryOut,
    FindingListOut,
    HarvestIn,
    HarvestOut,
    InputProductIn,
    InputProductOut,
    WithdrawalIn,
)
from coopchain.land.models import Plot
from coopchain.parties.api import Pages
from coopchain.parties.models import Member, Organization
from coopchain.parties.tenancy import get_scoped

router = Router(tags=["diary"])


def _product_out(product: InputProduct) -> dict[str, Any]:
    return {
        **{f: getattr(product, f) for f in InputProductOut.model_fields if f != "phi"},
        "phi": [{"crop": p.crop.code, "days": p.days} for p in product.phis.all()],
    }


def _finding_out(finding: rules.Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "label": finding.label,
        "message": finding.message,
        "entry_id": finding.entry_id,
        "cause_entry_id": finding.cause_entry_id,
        "on": finding.on,
        "params": finding.params,
    }


def _lot_out(activity: Activity) -> dict[str, Any] | None:
    if not activity.lot_id:
        return None
    lot = activity.lot
    eligibility = getattr(activity, "eligibility", None)
    return {
        "id": lot.pk,
        "epc": lot.epc,
        "lot_number": lot.lot_number,
        "quantity": lot.quantity,
        "unit": lot.unit,
        "eligible": eligibility.eligible if eligibility else None,
        "reasons": eligibility.reason_messages if eligibility else [],
    }


def _entry_out(activity: Activity, findings: list[rules.Finding] | None = None) -> dict[str, Any]:
    corrected_by = getattr(activity, "correction", None)
    return {
        "id": activity.pk,
        "organization_id": activity.organization_id,
        "household_id": activity.household_id,
        "kind": activity.kind,
        "performed_on": activity.performed_on,
        "plot_ids": [link.plot_id for link in activity.plot_links.all()],
        "lines": [
            {
                "product_id": line.product_id,
                "product": line.product.name,
                "quantity": line.quantity,
                "unit": line.unit,
            }
            for line in activity.lines.all()
        ],
        "crop": activity.crop.code if activity.crop_id else None,
        "performed_by_id": activity.performed_by_id,
        "worker_name": activity.worker_name,
        "area_treated_ha": activity.area_treated_ha,
        "notes": activity.notes,
        "harvest_quantity": activity.harvest_quantity,
        "harvest_unit": activity.harvest_unit,
        "lot": _lot_out(activity),
        "corrects_id": activity.corrects_id,
        "corrected_by_id": corrected_by.pk if corrected_by else None,
        "withdrawn": activity.withdrawn,
        "correction_reason": activity.correction_reason,
        "current": corrected_by is None and not activity.withdrawn,
        "recorded_by": activity.recorded_by.get_username(),
        "recorded_at": activity.recorded_at,
        "findings": [_finding_out(f) for f in findings or []],
    }


def _entry_data(payload: EntryIn) -> services.ActivityData:
    return services.ActivityData(
        kind=payload.kind,
        performed_on=payload.performed_on,
        plot_ids=tuple(payload.plot_ids),
        lines=tuple(
            services.LineData(line.product_id, line.quantity, line.unit) for line in payload.lines
        ),
        crop_code=payload.crop,
        performed_by_id=payload.performed_by_id,
        worker_name=payload.worker_name,
        area_treated_ha=payload.area_treated_ha,
        notes=payload.notes,
        harvest_quantity=payload.harvest_quantity,
        harvest_unit=payload.harvest_unit,
        submission_id=payload.submission_id,
    )


def _harvest_data(payload: HarvestIn) -> services.ActivityData:
    return services.ActivityData(
        kind=Activity.Kind.HARVEST,
        performed_on=payload.performed_on,
        plot_ids=tuple(payload.plot_ids),
        crop_code=payload.crop,
        performed_by_id=payload.performed_by_id,
        worker_name=payload.worker_name,
        notes=payload.notes,
        harvest_quantity=payload.harvest_quantity,
        harvest_unit=payload.harvest_unit,
        submission_id=payload.submission_id,
    )


def _organization(request: HttpRequest, organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    return get_scoped(Organization.objects.all(), request.user, pk=organization_id)


def _entry(request: HttpRequest, entry_id: int) -> Activity:
    return get_scoped(
        selectors.activities(request.user, include_superseded=True), request.user, pk=entry_id
    )


# --- Input products -------------------------------------------------------------------------


class ProductFilters(Schema):
    organization_id: int | None = None
    kind: str = ""
    q: str = ""
    banned: bool | None = None


@router.get(
    "/input-products",
    response=list[InputProductOut],
    summary="The shared catalogue and your cooperative's own products",
)
@paginate(Pages)
def list_input_products(request: HttpRequest, filters: Query[ProductFilters]):
    organization = _organization(request, filters.organization_id)
    products = selectors.input_products(
        request.user,
        organization=organization,
        kind=filters.kind,
        search=filters.q,
        banned=filters.banned,
    )
    return [_product_out(p) for p in products]


@router.get("/input-products/{product_id}", response=InputProductOut)
def get_input_product(request: HttpRequest, product_id: int):
    product = get_scoped(
        InputProduct.objects.prefetch_related("phis__crop"), request.user, pk=product_id
    )
    return _product_out(product)


@router.post("/organizations/{organization_id}/input-products", response={201: InputProductOut})
def create_input_product(request: HttpRequest, organization_id: int, payload: InputProductIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    product = services.create_input_product(
        organization=organization,
        data=services.InputProductData(**payload.dict()),
        by=request.user,
    )
    return 201, _product_out(product)


# --- Diary entries --------------------------------------------------------------------------


class EntryFilters(Schema):
    organization_id: int | None = None
    plot_id: int | None = None
    member_id: int | None = None
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    include_superseded: bool = False


@router.get(
    "/diary/entries",
    response=list[EntryOut],
    summary="Diary entries, newest first (current ones unless include_superseded)",
)
@paginate(Pages)
def list_entries(request: HttpRequest, filters: Query[EntryFilters]):
    plot = member = None
    if filters.plot_id is not None:
        plot = get_scoped(Plot.objects.all(), request.user, pk=filters.plot_id)
    if filters.member_id is not None:
        member = get_scoped(Member.objects.all(), request.user, pk=filters.member_id)
    entries = selectors.activities(
        request.user,
        organization=_organization(request, filters.organization_id),
        plot=plot,
        household=member,
        kind=filters.kind,
        date_from=filters.date_from,
        date_to=filters.date_to,
        include_superseded=filters.include_superseded,
    )
    return [_entry_out(a) for a in entries]


@router.get("/diary/entries/{entry_id}", response=EntryOut)
def get_entry(request: HttpRequest, entry_id: int):
    entry = _entry(request, entry_id)
    findings = selectors.household_findings(request.user, entry.household).get(entry.pk, [])
    return _entry_out(entry, findings)


@router.post("/organizations/{organization_id}/diary/entries", response={201: EntryOut})
def create_entry(request: HttpRequest, organization_id: int, payload: EntryIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    activity = services.record_activity(
        organization=organization, data=_entry_data(payload), by=request.user
    )
    entry = _entry(request, activity.pk)
    return 201, _entry_out(
        entry, selectors.household_findings(request.user, entry.household).get(entry.pk)
    )


@router.post("/diary/entries/{entry_id}/corrections", response={201: EntryOut})
def correct_entry(request: HttpRequest, entry_id: int, payload: EntryCorrectionIn):
    original = _entry(request, entry_id)
    correction = services.correct_activity(
        original=original, data=_entry_data(payload), reason=payload.reason, by=request.user
    )
    return 201, _entry_out(_entry(request, correction.pk))


@router.post("/diary/entries/{entry_id}/withdrawal", response={201: EntryOut})
def withdraw_entry(request: HttpRequest, entry_id: int, payload: WithdrawalIn):
    original = _entry(request, entry_id)
    withdrawal = services.withdraw_activity(
        original=original, reason=payload.reason, by=request.user
    )
    return 201, _entry_out(_entry(request, withdrawal.pk))


# --- Harvests -------------------------------------------------------------------------------


@router.post(
    "/organizations/{organization_id}/diary/harvests",
    response={201: HarvestOut},
    summary="Record a harvest: its lot, and the findings that make the lot not eligible",
)
def record_harvest(request: HttpRequest, organization_id: int, payload: HarvestIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    activity = services.record_activity(
        organization=organization, data=_harvest_data(payload), by=request.user
    )
    entry = _entry(request, activity.pk)
    reasons = entry.eligibility.reasons
    findings = [
        {**r, "label": rules.label(r["code"]), "message": rules.describe(r["code"], r["params"])}
        for r in reasons
    ]
    return 201, {"entry": _entry_out(entry), "lot": _lot_out(entry), "findings": findings}


@router.post(
    "/organizations/{organization_id}/diary/harvests/check",
    response=list[DiaryFindingOut],
    summary="The findings a harvest would have, recording nothing",
)
def check_harvest(request: HttpRequest, organization_id: int, payload: HarvestIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    findings = services.preview_harvest(
        organization=organization, data=_harvest_data(payload), by=request.user
    )
    return [_finding_out(f) for f in findings]


# --- Findings -------------------------------------------------------------------------------


class FindingFilters(Schema):
    organization_id: int | None = None
    member_id: int | None = None
    plot_id: int | None = None
    code: str = ""
    date_from: date | None = None
    date_to: date | None = None


@router.get(
    "/diary/findings",
    response=list[FindingListOut],
    summary="Findings across the diaries you may see, newest first",
)
@paginate(Pages)
def list_findings(request: HttpRequest, filters: Query[FindingFilters]):
    plot = member = None
    if filters.plot_id is not None:
        plot = get_scoped(Plot.objects.all(), request.user, pk=filters.plot_id)
    if filters.member_id is not None:
        member = get_scoped(Member.objects.all(), request.user, pk=filters.member_id)
    rows = selectors.findings_list(
        request.user,
        organization=_organization(request, filters.organization_id),
        household=member,
        plot=plot,
        code=filters.code,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return [
        {
            "finding": _finding_out(row.finding),
            "household_id": row.activity.household_id,
            "plot_ids": [link.plot_id for link in row.activity.plot_links.all()],
        }
        for row in rows
    ]
