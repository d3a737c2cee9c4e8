from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from coopchain.overview import cooperative_overview
from coopchain.parties import selectors
from coopchain.parties.models import Organization, Role
from coopchain.parties.tenancy import grants_for
from coopchain.parties.web import current_organization


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One home per role: the organization's work for its staff, the household's own page for a
    farmer, the province at a glance for an officer."""
    grants = grants_for(request.user)
    if not grants.roles:
        return render(request, "home/no_role.html")
    organization = current_organization(request)
    names = grants.role_names(organization.pk)
    context = {"organization": organization, "role_names": names}
    if Role.Name.OFFICER in names:
        context["summary"] = selectors.province_summary(organization.province_id)
        return render(request, "home/officer.html", context)
    if names & {Role.Name.ADMIN, Role.Name.MANAGER, Role.Name.STAFF, Role.Name.COLLECTOR}:
        if organization.kind == Organization.Kind.ENTERPRISE:
            return render(request, "home/enterprise.html", context)
        context["overview"] = cooperative_overview(request.user, organization)
        return render(request, "home/cooperative.html", context)
    if Role.Name.FARMER in names:
        member = next(r.member for r in grants.roles if r.name == Role.Name.FARMER)
        context["member"] = member
        return render(request, "home/farmer.html", context)
    if Role.Name.BUYER in names:
        return render(request, "home/enterprise.html", context)
    return render(request, "home/auditor.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.svg"), permanent=True)
