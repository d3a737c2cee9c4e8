"""Every write of monitoring: reports are submitted, never edited."""

from dataclasses import dataclass, fields
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coopchain.errors import FieldError, InvalidInput
from coopchain.monitoring.models import (
    MONEY_FIELDS,
    CooperativeReport,
    LinkageModel,
    ProvinceOutput,
    ProvinceTarget,
)
from coopchain.monitoring.prefill import SOURCE_ENTERED, prefill
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import require_write


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
