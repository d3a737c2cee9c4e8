from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coopchain.contracts.models import LinkageContract
from coopchain.errors import CoopChainError, Forbidden, NotFound
from coopchain.monitoring import drilldown, exports, imports, pdf, selectors, services
from coopchain.monitoring.forms import (
    AllocationForm,
    LinkageModelForm,
    OutputForm,
    PeriodForm,
    ProgrammeForm,
    ReportForm,
    TargetForm,
)
from coopchain.monitoring.models import (
    CooperativeReport,
    LinkageModel,
    ProvinceOutput,
    ProvinceTarget,
    SupportProgramme,
)
from coopchain.monitoring.prefill import SOURCE_LABELS, prefill
from coopchain.monitoring.rating import CRITERIA, GRADE_BANDS, GRADE_LABELS, RULES_VERSION
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import AdminUnit, Organization
from coopchain.parties.tenancy import get_scoped, grants_for, require_write, scope
from coopchain.parties.views import file_response
from coopchain.parties.web import (
    current_organization,
    import_page,
    paginate,
    query_without_page,
)


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


# Which of the province's cooperatives the full list shows, and in what order.
COOPERATIVE_LISTS = {
    "all": lambda standings: standings,
    "at_risk": lambda standings: sorted((s for s in standings if s.at_risk), key=lambda s: -s.risk),
    "support": lambda standings: sorted(
        (s for s in standings if s.support_total), key=lambda s: -s.support_total
    ),
}


@login_required
@require_GET
def province_cooperatives(request: HttpRequest) -> HttpResponse:
    province_code = officer_province(request)
    show = request.GET.get("show", "all")
    if show not in COOPERATIVE_LISTS:
        show = "all"
    standings = selectors.province_standings(province_code, on=timezone.localdate())
    page = paginate(request, COOPERATIVE_LISTS[show](standings), per_page=50)
    return render(
        request,
        "monitoring/cooperatives.html",
        {
            "province": AdminUnit.objects.get(code=province_code),
            "page": page,
            "show": show,
            "total": len(standings),
            "query": query_without_page(request),
        },
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
    models = list(
        scope(
            LinkageModel.objects.filter(province_id=dashboard.province.code), request.user
        ).select_related("ward", "cooperative", "enterprise")
    )
    flows = drilldown.model_output_values(models)
    programmes = scope(
        SupportProgramme.objects.filter(province=dashboard.province), request.user
    ).prefetch_related("allocations__beneficiary")
    content = exports.dashboard_workbook(
        dashboard,
        trends=drilldown.target_trends(dashboard),
        programmes=drilldown.programme_totals(programmes),
        models=[(m, flows.get(m.pk, 0)) for m in models],
    )
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
@require_GET
def cooperative_province(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = get_scoped(
        Organization.objects.filter(kind__in=selectors.COOPERATIVE_KINDS, province__isnull=False),
        request.user,
        pk=organization_id,
    )
    return render(
        request,
        "monitoring/province_aggregates.html",
        {
            "organization": organization,
            "aggregates": selectors.province_aggregates(organization.province_id),
            "bar_px": selectors.BAR_PX,
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


# --- What officers keep -----------------------------------------------------------------------


def _province_cooperatives(request: HttpRequest, province_code: str) -> QuerySet[Organization]:
    return scope(
        Organization.objects.filter(
            province_id=province_code, kind__in=selectors.COOPERATIVE_KINDS
        ).exclude(status=Organization.Status.DISSOLVED),
        request.user,
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def linkage_models(request: HttpRequest) -> HttpResponse:
    province_code = officer_province(request)
    form = LinkageModelForm(
        request.POST or None,
        cooperatives=_province_cooperatives(request, province_code),
        contracts=LinkageContract.objects.none(),
        province_code=province_code,
    )
    if request.method == "POST" and form.is_valid():
        try:
            model = services.record_linkage_model(data=form.data_object(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Linkage model %(name)s registered.") % {"name": model})
            return redirect("monitoring:linkage_model", linkage_model_id=model.pk)
    models = list(
        scope(LinkageModel.objects.filter(province_id=province_code), request.user)
        .select_related("ward", "cooperative", "enterprise")
        .prefetch_related("partners")
    )
    flows = drilldown.model_output_values(models)
    return render(
        request,
        "monitoring/linkage_models.html",
        {"form": form, "models": [(m, flows.get(m.pk, 0)) for m in models]},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def linkage_model(request: HttpRequest, linkage_model_id: int) -> HttpResponse:
    model = get_scoped(
        LinkageModel.objects.select_related("ward", "cooperative", "enterprise"),
        request.user,
        pk=linkage_model_id,
    )
    keeps = model.province_id in grants_for(request.user).officer_province_codes
    if request.method == "POST" and not keeps:
        raise Forbidden(detail=_("Only the province's officers change its linkage models."))
    form = None
    if keeps:
        form = LinkageModelForm(
            request.POST or None,
            initial={
                **{
                    name: getattr(model, name)
                    for name in ("name", "ward", "commodity", "cooperative", "enterprise")
                },
                "started_on": model.started_on,
                "status": model.status,
                "partners": list(model.partners.all()),
                "contracts": list(model.contracts.all()),
            },
            cooperatives=_province_cooperatives(request, model.province_id),
            contracts=drilldown.contracts_between_parties(model),
            province_code=model.province_id,
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_linkage_model(data=form.data_object(), by=request.user, model=model)
            except CoopChainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("Linkage model saved."))
                return redirect("monitoring:linkage_model", linkage_model_id=model.pk)
    return render(
        request,
        "monitoring/linkage_model.html",
        {
            "model": model,
            "form": form,
            "flow": drilldown.model_output_values([model]).get(model.pk, 0),
            "contract_count": model.contracts.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    province_code = officer_province(request)
    province = AdminUnit.objects.get(code=province_code)
    posted = request.POST.get("form") if request.method == "POST" else None
    target_form = TargetForm(request.POST if posted == "target" else None)
    output_form = OutputForm(request.POST if posted == "output" else None)
    if posted == "target" and target_form.is_valid():
        values = {
            **target_form.cleaned_data,
            "per_commune": target_form.cleaned_data["per_commune"] or 0,
        }
        services.set_province_target(province=province, **values)
        messages.success(request, _("Target saved."))
        return redirect("monitoring:targets")
    if posted == "output" and output_form.is_valid():
        services.set_province_output(province=province, **output_form.cleaned_data)
        messages.success(request, _("Output value saved."))
        return redirect("monitoring:targets")
    return render(
        request,
        "monitoring/targets.html",
        {
            "province": province,
            "targets": ProvinceTarget.objects.filter(province=province),
            "outputs": ProvinceOutput.objects.filter(province=province).order_by("-year"),
            "target_form": target_form,
            "output_form": output_form,
        },
        status=400 if posted and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def support(request: HttpRequest) -> HttpResponse:
    province_code = officer_province(request)
    province = AdminUnit.objects.get(code=province_code)
    programmes = scope(SupportProgramme.objects.filter(province=province), request.user)
    posted = request.POST.get("form") if request.method == "POST" else None
    programme_form = ProgrammeForm(request.POST if posted == "programme" else None)
    allocation_form = AllocationForm(
        request.POST if posted == "allocation" else None,
        programmes=programmes,
        cooperatives=_province_cooperatives(request, province_code),
    )
    form = {"programme": programme_form, "allocation": allocation_form}.get(posted or "")
    if form is not None and form.is_valid():
        try:
            if form is programme_form:
                services.record_support_programme(
                    province=province, by=request.user, **form.cleaned_data
                )
            else:
                services.record_support_allocation(by=request.user, **form.cleaned_data)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Support saved."))
            return redirect("monitoring:support")
    return render(
        request,
        "monitoring/support.html",
        {
            "province": province,
            "programmes": drilldown.programme_totals(
                programmes.prefetch_related("allocations__beneficiary")
            ),
            "programme_form": programme_form,
            "allocation_form": allocation_form,
        },
        status=400 if form is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_reports(request: HttpRequest, organization_id: int) -> HttpResponse:
    """The upload form, and after an upload the report: what was (or would be) submitted, or
    every problem in the file, row by row."""
    organization = get_scoped(
        Organization.objects.filter(kind__in=selectors.COOPERATIVE_KINDS),
        request.user,
        pk=organization_id,
    )
    require_write(request.user, organization)
    return import_page(
        request,
        "monitoring/import.html",
        {"organization": organization},
        run_import=partial(imports.import_reports, organization=organization),
        choose_file=_("Choose an Excel (.xlsx) file to import."),
    )


@login_required
@require_GET
def report_template(request: HttpRequest) -> HttpResponse:
    return file_response(imports.template_workbook(), "mau-bao-cao-hop-tac-xa.xlsx", "xlsx")


@login_required
@require_GET
def province_pdf(request: HttpRequest) -> HttpResponse:
    """The whole province report in Vietnamese, whatever language the officer reads pages in:
    it is the document that goes to the provincial People's Committee."""
    province_code = officer_province(request)
    programmes = scope(SupportProgramme.objects.filter(province_id=province_code), request.user)
    with translation.override("vi"):
        dashboard = selectors.province_dashboard(province_code)
        content = pdf.province_pdf(
            dashboard,
            drilldown.target_trends(dashboard),
            drilldown.programme_totals(programmes.prefetch_related("allocations__beneficiary")),
        )
    response = HttpResponse(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"bao-cao-giam-sat-{province_code}.pdf"
    )
    return response
