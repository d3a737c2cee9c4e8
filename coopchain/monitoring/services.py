"""Every write of monitoring: reports are submitted, never edited."""

from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.errors import FieldError, InvalidInput, NotFound
from coopchain.monitoring.models import (
    MONEY_FIELDS,
    CooperativeReport,
    LinkageModel,
    ProvinceOutput,
    ProvinceTarget,
    SupportAllocation,
    SupportProgramme,
)
from coopchain.monitoring.prefill import SOURCE_ENTERED, prefill
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import SYSTEM, grants_for, require_write


@dataclass
class ReportData:
    """The figures a cooperative types or confirms; None means "not known"."""

    revenue: int | None = None
    cost: int | None = None
    profit: int | None = None
    members: int | None = None
    workers: int | None = None
    average_member_income: int | None = None
    charter_capital: int | None = None
    loans: int | None = None
    support_received: int | None = None
    output_value: int | None = None
    linkage_output_value: int | None = None
    brand_registered: bool | None = None
    traceability_in_use: bool | None = None
    ocop_stars: int | None = None
    note: str = ""


def check_report(year: int, half: int, data: ReportData) -> list[FieldError]:
    errors: list[FieldError] = []
    if not 2000 <= year <= 2100:
        errors.append(FieldError("year", _("is not a year the platform reports on"), year))
    if half not in CooperativeReport.Half.values:
        errors.append(FieldError("half", _("must be 0 (year), 1 or 2"), half))
    for name in MONEY_FIELDS:
        value = getattr(data, name)
        if name != "profit" and value is not None and value < 0:
            errors.append(FieldError(name, _("cannot be negative"), value))
    for name in ("members", "workers"):
        value = getattr(data, name)
        if value is not None and value < 0:
            errors.append(FieldError(name, _("cannot be negative"), value))
    if data.ocop_stars is not None and not 0 <= data.ocop_stars <= 5:
        errors.append(FieldError("ocop_stars", _("must be from 0 to 5"), data.ocop_stars))
    if (
        data.output_value is not None
        and data.linkage_output_value is not None
        and data.linkage_output_value > data.output_value
    ):
        errors.append(
            FieldError(
                "linkage_output_value",
                _("cannot exceed the whole output value"),
                data.linkage_output_value,
            )
        )
    if data.revenue is not None and data.cost is not None and data.profit is None:
        data.profit = data.revenue - data.cost
    return errors


@transaction.atomic
def submit_report(
    *, organization: Organization, year: int, half: int, data: ReportData, by: Any
) -> CooperativeReport:
    """Record a cooperative's report for a period as its next version.

    A figure left empty is filled from the platform's records where they hold it; a figure equal
    to what the records say keeps their source, anything else is marked as entered.
    """
    require_write(by, organization)
    if not organization.is_cooperative:
        raise InvalidInput(detail=_("Only cooperatives and cooperative groups report."))
    errors = check_report(year, half, data)
    if errors:
        raise InvalidInput(detail=_("The report has errors."), errors=errors)
    # Lock the organization row so two submissions cannot take the same version number.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    known = prefill(organization, year=year, half=half)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for field in fields(ReportData):
        if field.name == "note":
            continue
        value = getattr(data, field.name)
        found = known.get(field.name)
        if value is None and found is not None:
            value = found.value
        if value is not None:
            same = found is not None and found.value == value
            sources[field.name] = found.source if same else SOURCE_ENTERED
        values[field.name] = value
    latest = CooperativeReport.objects.filter(
        organization=organization, year=year, half=half
    ).aggregate(v=Max("version"))["v"]
    return CooperativeReport.objects.create(
        organization=organization,
        year=year,
        half=half,
        version=(latest or 0) + 1,
        sources=sources,
        note=data.note,
        submitted_by=by if getattr(by, "is_authenticated", False) else None,
        **values,
    )


@transaction.atomic
def register_linkage_model(
    *,
    ward: AdminUnit,
    name: str,
    commodity: str,
    cooperative: Organization,
    enterprise: Organization | None,
    started_on: Any,
    status: str = LinkageModel.Status.ACTIVE,
) -> LinkageModel:
    if cooperative.province_id != ward.province_id:
        raise InvalidInput(
            detail=_("The cooperative is not in the commune's province."),
            errors=[FieldError("cooperative", _("is in another province"), cooperative.pk)],
        )
    return LinkageModel.objects.create(
        ward=ward,
        name=name,
        commodity=commodity,
        cooperative=cooperative,
        enterprise=enterprise,
        started_on=started_on,
        status=status,
    )


@transaction.atomic
def set_province_target(
    *,
    province: AdminUnit,
    code: str,
    title: str,
    source: str,
    measure: str,
    target_percent: Any,
    due_year: int,
    per_commune: int = 0,
) -> ProvinceTarget:
    target, _created = ProvinceTarget.objects.update_or_create(
        province=province,
        code=code,
        defaults={
            "title": title,
            "source": source,
            "measure": measure,
            "target_percent": target_percent,
            "due_year": due_year,
            "per_commune": per_commune,
        },
    )
    return target


@transaction.atomic
def set_province_output(*, province: AdminUnit, year: int, value: int) -> ProvinceOutput:
    output, _created = ProvinceOutput.objects.update_or_create(
        province=province, year=year, defaults={"agricultural_output_value": value}
    )
    return output


# --- What officers keep: linkage models, targets, support programmes ----------------------------


def require_officer(user: Any, province_code: str) -> None:
    """Refuse a province's records to anyone but its officers (as "not found", like tenancy)."""
    if user is SYSTEM:
        return
    if province_code not in grants_for(user).officer_province_codes:
        raise NotFound(detail=_("Only the province's officers keep its monitoring records."))


@dataclass
class LinkageModelData:
    ward: AdminUnit
    name: str
    commodity: str
    cooperative: Organization
    enterprise: Organization | None
    started_on: date
    status: str = LinkageModel.Status.ACTIVE
    partners: list[Organization] = dc_field(default_factory=list)
    contracts: list[Any] = dc_field(default_factory=list)


def check_linkage_model(province_code: str, data: LinkageModelData) -> list[FieldError]:
    errors: list[FieldError] = []
    if data.ward.province_id != province_code:
        errors.append(FieldError("ward", _("is not in your province"), data.ward.pk))
    if data.cooperative.province_id != province_code or not data.cooperative.is_cooperative:
        errors.append(
            FieldError(
                "cooperative", _("is not a cooperative of your province"), data.cooperative.pk
            )
        )
    sellers = {data.cooperative.pk} | {p.pk for p in data.partners if p.is_cooperative}
    for contract in data.contracts:
        if contract.seller_id not in sellers:
            errors.append(
                FieldError(
                    "contracts",
                    _("contract %(number)s is not sold by a cooperative of this model")
                    % {"number": contract.number},
                    contract.pk,
                )
            )
    if data.started_on > timezone.localdate():
        errors.append(FieldError("started_on", _("cannot be in the future"), data.started_on))
    return errors


@transaction.atomic
def record_linkage_model(
    *, data: LinkageModelData, by: Any, model: LinkageModel | None = None
) -> LinkageModel:
    """Register a linkage model in a commune of the officer's province, or change one."""
    province_code = data.ward.province_id
    require_officer(by, model.province_id if model else province_code)
    errors = check_linkage_model(model.province_id if model else province_code, data)
    if errors:
        raise InvalidInput(detail=_("The linkage model has errors."), errors=errors)
    model = model or LinkageModel()
    for name in ("ward", "name", "commodity", "cooperative", "enterprise", "started_on", "status"):
        setattr(model, name, getattr(data, name))
    model.save()
    model.partners.set(data.partners)
    model.contracts.set(data.contracts)
    return model


@transaction.atomic
def record_support_programme(
    *, province: AdminUnit, name: str, source: str, starts_year: int, ends_year: int, by: Any
) -> SupportProgramme:
    require_officer(by, province.code)
    if ends_year < starts_year:
        raise InvalidInput(
            detail=_("The programme has errors."),
            errors=[FieldError("ends_year", _("cannot be before the first year"), ends_year)],
        )
    if SupportProgramme.objects.filter(province=province, name=name).exists():
        raise InvalidInput(
            detail=_("The programme has errors."),
            errors=[FieldError("name", _("another programme of the province has this name"), name)],
        )
    return SupportProgramme.objects.create(
        province=province, name=name, source=source, starts_year=starts_year, ends_year=ends_year
    )


@transaction.atomic
def record_support_allocation(
    *,
    programme: SupportProgramme,
    beneficiary: Organization,
    committed: int,
    disbursed: int,
    purpose: str = "",
    by: Any,
) -> SupportAllocation:
    """What a programme commits to a cooperative and has paid out so far; recording the same
    cooperative again updates its figures."""
    require_officer(by, programme.province_id)
    errors: list[FieldError] = []
    if beneficiary.province_id != programme.province_id or not beneficiary.is_cooperative:
        errors.append(
            FieldError("beneficiary", _("is not a cooperative of the province"), beneficiary.pk)
        )
    if committed < 0:
        errors.append(FieldError("committed", _("cannot be negative"), committed))
    if disbursed < 0:
        errors.append(FieldError("disbursed", _("cannot be negative"), disbursed))
    elif disbursed > committed:
        errors.append(FieldError("disbursed", _("cannot exceed what was committed"), disbursed))
    if errors:
        raise InvalidInput(detail=_("The support has errors."), errors=errors)
    allocation, _created = SupportAllocation.objects.update_or_create(
        programme=programme,
        beneficiary=beneficiary,
        defaults={"committed": committed, "disbursed": disbursed, "purpose": purpose},
    )
    return allocation
