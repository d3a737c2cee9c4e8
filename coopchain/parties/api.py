from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from coopchain.errors import NotFound
from coopchain.parties import exchange, selectors, services
from coopchain.parties.models import AdminUnit, Facility, Member, Organization
from coopchain.parties.schemas import (
    AdminUnitOut,
    FacilityIn,
    FacilityOut,
    MemberIn,
    MemberLeaveIn,
    MemberOut,
    OrganizationOut,
)
from coopchain.parties.tenancy import get_scoped, scope, sees_personal_data
from coopchain.parties.views import file_response

router = Router(tags=["parties"])


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = 1
        page_size: int = 50

    def paginate_queryset(self, queryset, pagination: Input, **params):
        self.page_size = max(1, min(pagination.page_size, 500))
        return super().paginate_queryset(
            queryset, PageNumberPagination.Input(page=max(1, pagination.page)), **params
        )


def _member_out(member: Member, request: HttpRequest) -> dict:
    personal = sees_personal_data(request.user, member)
    national_id = member.national_id if personal else member.national_id_masked
    memberships = list(member.memberships.all())
    return {
        **{f: getattr(member, f) for f in MemberOut.model_fields if hasattr(member, f)},
        "ward_id": member.ward_id,
        "national_id": national_id,
        "bank_name": member.bank.short_name if member.bank else "",
        "bank_account": member.bank_account if personal else member.bank_account_masked,
        "is_member": any(m.left_on is None for m in memberships),
        "memberships": memberships,
    }


class MemberFilters(Schema):
    organization_id: int | None = None
    q: str = ""
    status: str = ""
    ward_code: str = ""


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations you can see")
@paginate(Pages)
def list_organizations(request: HttpRequest, kind: str = "", status: str = ""):
    organizations = scope(Organization.objects.all(), request.user)
    if kind:
        organizations = organizations.filter(kind=kind)
    if status:
        organizations = organizations.filter(status=status)
    return organizations


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def get_organization(request: HttpRequest, organization_id: int):
    return get_scoped(Organization.objects.all(), request.user, pk=organization_id)


@router.get(
    "/members", response=list[MemberOut], summary="Member households, searched and filtered"
)
@paginate(Pages)
def list_members(request: HttpRequest, filters: Query[MemberFilters]):
    organization = None
    if filters.organization_id:
        organization = get_scoped(
            Organization.objects.all(), request.user, pk=filters.organization_id
        )
    members = selectors.member_list(
        request.user,
        organization=organization,
        search=filters.q,
        status=filters.status,
        ward_code=filters.ward_code,
    )
    return [_member_out(m, request) for m in members]


@router.get("/members/{member_id}", response=MemberOut)
def get_member(request: HttpRequest, member_id: int):
    member = get_scoped(selectors.member_list(request.user), request.user, pk=member_id)
    return _member_out(member, request)


def _member_data(payload: MemberIn) -> services.MemberData:
    return services.MemberData(**payload.dict())


@router.post("/organizations/{organization_id}/members", response={201: MemberOut})
def create_member(request: HttpRequest, organization_id: int, payload: MemberIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    member = services.create_member(
        organization=organization, data=_member_data(payload), by=request.user
    )
    return 201, _member_out(member, request)


@router.put("/members/{member_id}", response=MemberOut)
def update_member(request: HttpRequest, member_id: int, payload: MemberIn):
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    member = services.update_member(member=member, data=_member_data(payload), by=request.user)
    return _member_out(member, request)


@router.post("/members/{member_id}/leave", response=MemberOut)
def leave_member(request: HttpRequest, member_id: int, payload: MemberLeaveIn):
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    services.record_member_leaving(
        member=member, left_on=payload.left_on, reason=payload.reason, by=request.user
    )
    return _member_out(member, request)


@router.get("/facilities", response=list[FacilityOut])
@paginate(Pages)
def list_facilities(request: HttpRequest, organization_id: int | None = None, kind: str = ""):
    organization = None
    if organization_id:
        organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    return selectors.facility_list(request.user, organization=organization, kind=kind)


@router.get("/facilities/{facility_id}", response=FacilityOut)
def get_facility(request: HttpRequest, facility_id: int):
    return get_scoped(Facility.objects.all(), request.user, pk=facility_id)


@router.post("/organizations/{organization_id}/facilities", response={201: FacilityOut})
def create_facility(request: HttpRequest, organization_id: int, payload: FacilityIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    facility = services.create_facility(
        organization=organization, data=services.FacilityData(**payload.dict()), by=request.user
    )
    return 201, facility


@router.get(
    "/admin-units", response=list[AdminUnitOut], summary="Provinces and communes/wards by name"
)
def search_admin_units(
    request: HttpRequest, q: str = "", level: str = "", province_code: str = "", limit: int = 20
):
    if level and level not in AdminUnit.Level.values:
        level = ""
    return selectors.search_admin_units(
        q, level=level, province_code=province_code, limit=max(1, min(limit, 100))
    )


@router.get("/admin-units/{code}", response=AdminUnitOut)
def get_admin_unit(request: HttpRequest, code: str):
    unit = AdminUnit.objects.filter(code=code).first()
    if unit is None:
        raise NotFound(detail=f"No province or commune/ward has code {code}.")
    return unit


class ImportProblemOut(Schema):
    row: int | None = None
    field: str
    value: str | None = None
    reason: str


class ImportReportOut(Schema):
    kind: str
    filename: str
    dry_run: bool
    written: bool
    detail: str
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[ImportProblemOut]
    warnings: list[ImportProblemOut]


IMPORT_DESCRIPTION = (
    "Upload an .xlsx or .csv list with the columns of the template. All rows or none: "
    "if any row is refused, nothing is written and the problem details list every problem "
    "as {row, field (the column as written in the file), value, reason}. Rows are matched "
    "by code, so sending the same file again changes nothing. `dry_run=true` reports "
    "without writing."
)


def _import(
    request: HttpRequest, kind: str, organization_id: int, file: UploadedFile, dry_run: bool
):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    importer = exchange.import_members if kind == exchange.MEMBERS else exchange.import_facilities
    report = importer(
        organization=organization,
        file=file,
        filename=file.name or "",
        dry_run=dry_run,
        by=request.user,
    )
    if not report.ok:
        raise report.refusal()
    return report.as_dict()


@router.post(
    "/organizations/{organization_id}/members/import",
    response=ImportReportOut,
    summary="Import member households from a spreadsheet",
    description=IMPORT_DESCRIPTION,
)
def import_members(
    request: HttpRequest, organization_id: int, file: File[UploadedFile], dry_run: bool = False
):
    return _import(request, exchange.MEMBERS, organization_id, file, dry_run)


@router.post(
    "/organizations/{organization_id}/facilities/import",
    response=ImportReportOut,
    summary="Import facilities from a spreadsheet",
    description=IMPORT_DESCRIPTION,
)
def import_facilities(
    request: HttpRequest, organization_id: int, file: File[UploadedFile], dry_run: bool = False
):
    return _import(request, exchange.FACILITIES, organization_id, file, dry_run)


ExportFormat = Annotated[str, Query(alias="format", description="xlsx or csv")]


@router.get(
    "/organizations/{organization_id}/members/export",
    summary="Member households as an .xlsx or .csv list (the import template's columns)",
)
def export_members(
    request: HttpRequest, organization_id: int, fmt: ExportFormat = exchange.XLSX
) -> HttpResponse:
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    content = exchange.export_members(user=request.user, organization=organization, fmt=fmt)
    return file_response(
        content, exchange.export_filename(exchange.MEMBERS, organization, fmt), fmt
    )


@router.get(
    "/organizations/{organization_id}/facilities/export",
    summary="Facilities as an .xlsx or .csv list (the import template's columns)",
)
def export_facilities(
    request: HttpRequest, organization_id: int, fmt: ExportFormat = exchange.XLSX
) -> HttpResponse:
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    content = exchange.export_facilities(user=request.user, organization=organization, fmt=fmt)
    return file_response(
        content, exchange.export_filename(exchange.FACILITIES, organization, fmt), fmt
    )
