from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopchain.errors import CoopChainError
from coopchain.parties import selectors, services
from coopchain.parties.forms import (
    FacilityForm,
    LeaveForm,
    MemberFilterForm,
    MemberForm,
    RejoinForm,
    apply_domain_error,
)
from coopchain.parties.models import AdminUnit, Facility, Member
from coopchain.parties.tenancy import get_scoped, sees_personal_data
from coopchain.parties.web import (
    choose_organization,
    current_organization,
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
