"""Request helpers shared by every app's pages."""

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coopchain.errors import NotFound
from coopchain.parties.models import Organization
from coopchain.parties.selectors import working_organizations

SESSION_KEY = "coopchain_org"
PAGE_SIZE = 25


def current_organization(request: HttpRequest) -> Organization:
    """The organization the user is working in: chosen in the switcher, else their first."""
    organizations = working_organizations(request.user)
    if not organizations:
        raise NotFound(detail="You hold no role in any organization.")
    chosen = request.session.get(SESSION_KEY)
    return next((o for o in organizations if o.pk == chosen), organizations[0])


def choose_organization(request: HttpRequest, organization_id: int) -> Organization:
    organization = next(
        (o for o in working_organizations(request.user) if o.pk == organization_id), None
    )
    if organization is None:
        raise NotFound(detail="No organization matches.")
    request.session[SESSION_KEY] = organization.pk
    return organization


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def import_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    run_import: Callable[..., Any],
    choose_file: str,
) -> HttpResponse:
    """The upload form, and after an upload the report: what was (or would be) written, or
    every problem in the file. `run_import` is called with file, filename, dry_run and by,
    and returns a report with `ok`; the caller authorizes first."""
    if request.method != "POST":
        return render(request, template, context)
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, template, {**context, "problem": choose_file}, status=400)
    report = run_import(
        file=upload,
        filename=upload.name or "",
        dry_run=bool(request.POST.get("dry_run")),
        by=request.user,
    )
    return render(
        request,
        template,
        {**context, "report": report, "upload_size": upload.size},
        status=200 if report.ok else 400,
    )
