from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopchain.errors import CoopChainError
from coopchain.parties import exchange, selectors, services
from coopchain.parties.forms import (
    FacilityForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    RejoinForm,
    apply_domain_error,
)
from coopchain.parties.models import AdminUnit, Facility, Member, Organization
from coopchain.parties.tenancy import get_scoped, require_write, sees_personal_data
from coopchain.parties.web import (
    choose_organization,
    current_organization,
    import_page,
    paginate,
    query_without_page,
)


@login_required
@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        organization_id = 0
    choose_organization(request, organization_id)
    return redirect(request.POST.get("next") or "home")


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    wards = AdminUnit.objects.filter(code__in=organization.members.values("ward_id"))
    filters = MemberFilterForm(request.GET or None, ward_queryset=wards)
    filters.is_valid()
    cleaned = getattr(filters, "cleaned_data", {})
    members = selectors.member_list(
        request.user,
        organization=organization,
        search=cleaned.get("q", ""),
        status=cleaned.get("status", ""),
        ward_code=cleaned["ward"].code if cleaned.get("ward") else "",
    )
    return render(
        request,
        "parties/member_list.html",
        {
            "organization": organization,
            "filters": filters,
            "page": paginate(request, members),
            "query": query_without_page(request),
        },
    )


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_scoped(Member.objects.select_related("ward__province"), request.user, pk=member_id)
    return render(
        request,
        "parties/member_detail.html",
        {
            "member": member,
            "memberships": member.memberships.order_by("joined_on"),
            "full_id": sees_personal_data(request.user, member),
            "leave_form": LeaveForm(),
            "rejoin_form": RejoinForm(),
        },
    )


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.create_member(
                organization=organization, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Member %(name)s added.") % {"name": member.head_of_household}
            )
            return redirect("parties:member_detail", member_id=member.pk)
    return render(request, "parties/member_form.html", {"form": form, "organization": organization})


@login_required
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_for(member), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(member=member, data=form.to_data(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("parties:member_detail", member_id=member.pk)
    return render(
        request,
        "parties/member_form.html",
        {"form": form, "member": member, "organization": member.organization},
    )


@login_required
@require_POST
def member_leave(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    form = LeaveForm(request.POST)
    if form.is_valid():
        services.record_member_leaving(
            member=member,
            left_on=form.cleaned_data["left_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Leaving recorded."))
    else:
        messages.error(request, _("Give the date the household left."))
    return redirect("parties:member_detail", member_id=member.pk)


@login_required
@require_POST
def member_rejoin(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    form = RejoinForm(request.POST)
    if form.is_valid():
        services.record_member_rejoining(
            member=member, joined_on=form.cleaned_data["joined_on"], by=request.user
        )
        messages.success(request, _("Membership renewed."))
    else:
        messages.error(request, _("Give the date the household joined again."))
    return redirect("parties:member_detail", member_id=member.pk)


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    facilities = selectors.facility_list(
        request.user, organization=organization, kind=request.GET.get("kind", "")
    )
    return render(
        request,
        "parties/facility_list.html",
        {
            "organization": organization,
            "page": paginate(request, facilities),
            "kinds": Facility.Kind.choices,
            "query": query_without_page(request),
        },
    )


@login_required
def facility_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_facility(
                organization=organization, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Facility added."))
            return redirect("parties:facility_list")
    return render(
        request, "parties/facility_form.html", {"form": form, "organization": organization}
    )


@login_required
def facility_edit(request: HttpRequest, facility_id: int) -> HttpResponse:
    facility = get_scoped(Facility.objects.all(), request.user, pk=facility_id)
    initial = {
        "code": facility.code,
        "name": facility.name,
        "kind": facility.kind,
        "ward_code": facility.ward_id or "",
        "address": facility.address,
        "latitude": facility.latitude,
        "longitude": facility.longitude,
        "packing_house_code": facility.packing_house_code,
        "gln": facility.gln,
    }
    form = FacilityForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_facility(facility=facility, data=form.to_data(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("parties:facility_list")
    return render(
        request,
        "parties/facility_form.html",
        {"form": form, "facility": facility, "organization": facility.organization},
    )


@login_required
def ward_options(request: HttpRequest) -> HttpResponse:
    """Options for the commune/ward field, searched as the user types (htmx)."""
    units = selectors.search_admin_units(
        request.GET.get("q") or request.GET.get("ward_code", ""),
        level=AdminUnit.Level.WARD,
        limit=30,
    )
    return render(request, "parties/_ward_options.html", {"units": units})


IMPORT_PAGES = {
    exchange.MEMBERS: {
        "title": gettext_lazy("Import members"),
        "list_url": "parties:member_list",
        "template_url": "parties:member_import_template",
        "import": exchange.import_members,
    },
    exchange.FACILITIES: {
        "title": gettext_lazy("Import facilities"),
        "list_url": "parties:facility_list",
        "template_url": "parties:facility_import_template",
        "import": exchange.import_facilities,
    },
}
EXPORTS = {
    exchange.MEMBERS: exchange.export_members,
    exchange.FACILITIES: exchange.export_facilities,
}


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, exchange.MEMBERS)


@login_required
@require_http_methods(["GET", "POST"])
def facility_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, exchange.FACILITIES)


def _import_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The upload form, and after an upload the report: what was (or would be) written, or
    every problem in the file, row by row."""
    organization = current_organization(request)
    require_write(request.user, organization)
    page = IMPORT_PAGES[kind]
    return import_page(
        request,
        "parties/import.html",
        {"organization": organization, "kind": kind, **page},
        run_import=partial(page["import"], organization=organization),
        choose_file=_("Choose an Excel (.xlsx) or CSV file to import."),
    )


@login_required
@require_GET
def member_import_template(request: HttpRequest) -> HttpResponse:
    return _template_download(request, exchange.MEMBERS)


@login_required
@require_GET
def facility_import_template(request: HttpRequest) -> HttpResponse:
    return _template_download(request, exchange.FACILITIES)


def _template_download(request: HttpRequest, kind: str) -> HttpResponse:
    fmt = request.GET.get("format", exchange.XLSX)
    content = exchange.template_file(kind, fmt)
    return file_response(content, exchange.template_filename(kind, fmt), fmt)


@login_required
@require_GET
def member_export(request: HttpRequest) -> HttpResponse:
    return _export_download(request, exchange.MEMBERS)


@login_required
@require_GET
def facility_export(request: HttpRequest) -> HttpResponse:
    return _export_download(request, exchange.FACILITIES)


def _export_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The list of the organization being worked in, or of `?organization=<id>` if the user
    may see it."""
    if request.GET.get("organization"):
        organization = get_scoped(
            Organization.objects.all(), request.user, pk=request.GET["organization"]
        )
    else:
        organization = current_organization(request)
    fmt = request.GET.get("format", exchange.XLSX)
    content = EXPORTS[kind](user=request.user, organization=organization, fmt=fmt)
    return file_response(content, exchange.export_filename(kind, organization, fmt), fmt)


def file_response(content: bytes, filename: str, fmt: str) -> HttpResponse:
    """A list to download, under the name it will be saved as."""
    response = HttpResponse(content, content_type=exchange.CONTENT_TYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
