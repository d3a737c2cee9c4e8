from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coopchain.errors import CoopChainError, NotFound
from coopchain.monitoring import drilldown, exports, selectors, services
from coopchain.monitoring.forms import PeriodForm, ReportForm
from coopchain.monitoring.models import CooperativeReport
from coopchain.monitoring.prefill import SOURCE_LABELS, prefill
from coopchain.monitoring.rating import CRITERIA, GRADE_BANDS, GRADE_LABELS, RULES_VERSION
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, grants_for, require_write
from coopchain.parties.views import file_response
from coopchain.parties.web import current_organization


def officer_province(request: HttpRequest) -> str:
    """The province of the officer's current authority; anyone else gets "not found"."""
    organization = current_organization(request)
    grants = grants_for(request.user)
    if "officer" not in grants.role_names(organization.pk) or not organization.province_id:
        raise NotFound(detail=_("The province dashboard is for provincial officers."))
    return organization.province_id


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if organization.is_cooperative:
        return redirect("monitoring:cooperative", organization_id=organization.pk)
    return redirect("monitoring:province")


@login_required
@require_GET
def province(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.province_dashboard(officer_province(request))
    return render(
        request,
        "monitoring/province.html",
        drilldown.dashboard_page(dashboard, request.GET.get("map", "models")),
    )


@login_required
@require_GET
def commune(request: HttpRequest, ward_code: str) -> HttpResponse:
    ward = drilldown.province_ward(officer_province(request), ward_code)
    return render(
        request,
        "monitoring/commune.html",
        {"commune": drilldown.commune(request.user, ward)},
    )


@login_required
@require_GET
def province_export(request: HttpRequest) -> HttpResponse:
    dashboard = selectors.province_dashboard(officer_province(request))
    content = exports.dashboard_workbook(dashboard)
    return file_response(content, f"monitoring-{dashboard.province.code}.xlsx", "xlsx")


@login_required
@require_GET
def cooperative(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_scoped(
        Organization.objects.filter(kind__in=selectors.COOPERATIVE_KINDS).select_related("ward"),
        request.user,
        pk=organization_id,
    )
    grants = grants_for(request.user)
    standing = selectors.standing(organization)
    return render(
        request,
        "monitoring/cooperative.html",
        {
            "organization": organization,
            "standing": standing,
            "is_officer": organization.province_id in grants.officer_province_codes,
            "years": drilldown.figures_by_year(standing.reports),
            "contracts": drilldown.contract_summaries(organization),
            "allocations": drilldown.support_allocations(request.user, organization),
            "linkage_models": drilldown.linkage_models_of(request.user, organization),
            "history": selectors.report_history(request.user, organization),
            "can_report": organization.pk in grants.write_org_ids,
            "criteria": [c for c, _m in CRITERIA],
            "grade_bands": [(floor, GRADE_LABELS[g]) for floor, g in GRADE_BANDS],
            "rules_version": RULES_VERSION,
            "source_labels": SOURCE_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit_report(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_scoped(
        Organization.objects.filter(kind__in=selectors.COOPERATIVE_KINDS),
        request.user,
        pk=organization_id,
    )
    require_write(request.user, organization)
    period = PeriodForm(request.POST or request.GET or None, initial=PeriodForm.default())
    year, half = PeriodForm.default()["year"], PeriodForm.default()["half"]
    if period.is_bound and period.is_valid():
        year, half = period.cleaned_data["year"], period.cleaned_data["half"]
    elif not period.is_bound:
        period = PeriodForm(initial={"year": year, "half": half})
    known = prefill(organization, year=year, half=half)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        prefilled=known,
    )
    if request.method == "POST" and period.is_valid() and form.is_valid():
        try:
            report = services.submit_report(
                organization=organization,
                year=year,
                half=half,
                data=form.data_object(),
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Report for %(period)s submitted (version %(version)s).")
                % {"period": report.period_label, "version": report.version},
            )
            return redirect("monitoring:cooperative", organization_id=organization.pk)
    previous = CooperativeReport.objects.filter(
        organization=organization, year=year, half=half
    ).first()
    return render(
        request,
        "monitoring/report_form.html",
        {
            "organization": organization,
            "period": period,
            "form": form,
            "previous": previous,
        },
    )
