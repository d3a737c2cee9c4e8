"""Pages: the certificate register with its expiry timeline, a lot's compliance (claims,
readiness per market, the PDF for a buyer), the exporter's EUDR page for a shipment with its
downloads, and audits worked through on a tablet."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopchain.compliance import selectors, services
from coopchain.compliance.claims import lot_claims
from coopchain.compliance.due_diligence import check_lot, use_on
from coopchain.compliance.forms import (
    ActionForm,
    ActionStatusForm,
    AnswerForm,
    AuditStartForm,
    CertificateForm,
    EvidenceForm,
    LandUseForm,
    RiskImportForm,
    StatementForm,
)
from coopchain.compliance.models import (
    Audit,
    Certificate,
    ControlPoint,
    CorrectiveAction,
    LandUseRecord,
    Statement,
)
from coopchain.compliance.pdf import readiness_pdf
from coopchain.compliance.readiness import lot_readiness
from coopchain.diary.selectors import findings_list
from coopchain.errors import CoopChainError, NotFound
from coopchain.land.models import Plot
from coopchain.lib.eudr import CUTOFF_DATE
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.tenancy import get_scoped, grants_for, scope
from coopchain.parties.web import current_organization, paginate
from coopchain.trace.models import Lot
from coopchain.trace.selectors import access_lot, lot_list


def _download(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    timeline = selectors.expiry_timeline(request.user, organization=organization)
    return render(
        request,
        "compliance/register.html",
        {
            "organization": organization,
            "timeline": timeline,
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
            "soon": [e for e in timeline if e.level in ("soon", "expired")],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = CertificateForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.create_certificate(
                organization=organization, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Certificate %(number)s recorded.") % {"number": certificate.number}
            )
            return redirect("compliance:certificate_detail", certificate_id=certificate.pk)
    return render(
        request, "compliance/certificate_form.html", {"form": form, "organization": organization}
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_edit(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_scoped(selectors.certificates(request.user), request.user, pk=certificate_id)
    form = CertificateForm(
        request.POST or None,
        initial=CertificateForm.initial_for(certificate),
        organization=certificate.organization,
        certifier_id=certificate.certifier_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_certificate(
                certificate=certificate, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("Certificate %(number)s saved.") % {"number": certificate.number}
            )
            return redirect("compliance:certificate_detail", certificate_id=certificate.pk)
    return render(
        request,
        "compliance/certificate_form.html",
        {"form": form, "organization": certificate.organization, "certificate": certificate},
    )


@login_required
@require_http_methods(["GET", "POST"])
def certificate_detail(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_scoped(selectors.certificates(request.user), request.user, pk=certificate_id)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_evidence(
                organization=certificate.organization,
                upload=services.Upload(upload.name, upload.read(services.EVIDENCE_MAX_BYTES + 1)),
                description=form.cleaned_data["description"],
                certificate=certificate,
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("File kept."))
            return redirect("compliance:certificate_detail", certificate_id=certificate.pk)
    return render(
        request,
        "compliance/certificate_detail.html",
        {
            "certificate": certificate,
            "form": form,
            "can_write": certificate.organization_id in grants_for(request.user).write_org_ids,
        },
    )


@login_required
@require_GET
def lots(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    found = lot_list(request.user, organization=organization, search=request.GET.get("q", ""))
    return render(
        request,
        "compliance/lots.html",
        {
            "organization": organization,
            "page": paginate(request, found),
            "q": request.GET.get("q", ""),
        },
    )


@login_required
@require_GET
def lot_compliance(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = access_lot(request.user, lot_id=lot_id)
    return render(
        request,
        "compliance/lot_compliance.html",
        {"lot": lot, "claims": lot_claims(lot), "readiness": lot_readiness(lot)},
    )


@login_required
@require_GET
def lot_readiness_pdf(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = access_lot(request.user, lot_id=lot_id)
    content = readiness_pdf(lot, lot_readiness(lot), lot_claims(lot))
    return _download(content, f"readiness-{lot.lot_number or lot.pk}.pdf", "application/pdf")


@login_required
@require_http_methods(["GET", "POST"])
def lot_eudr(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = access_lot(request.user, lot_id=lot_id)
    organization = current_organization(request)
    result = check_lot(lot, hs_code=request.POST.get("hs_code", ""))
    initial = {
        "activity": Statement.Activity.EXPORT,
        "hs_code": result.hs_code,
        "net_mass_kg": lot.quantity,
        "description": lot.product.name if lot.product else "",
    }
    form = StatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        more_lot = None
        if form.cleaned_data["more_lot"]:
            more_lot = _lot_named(request, organization, form.cleaned_data["more_lot"])
            if more_lot is None:
                form.add_error("more_lot", _("names no lot you may see"))
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.prepare_statement(
                operator=organization, lot=lot, data=form.to_data(more_lot), by=request.user
            )
        except CoopChainError as error:
            _show_statement_errors(form, error)
        else:
            messages.success(
                request, _("Statement %(ref)s prepared.") % {"ref": statement.reference}
            )
            return redirect("compliance:statement_detail", statement_id=statement.pk)
    plot_ids = [p.plot.pk for p in result.plots if p.plot is not None]
    return render(
        request,
        "compliance/lot_eudr.html",
        {
            "lot": lot,
            "result": result,
            "form": form,
            "organization": organization,
            "own_plot_ids": set(
                scope(Plot.objects.filter(pk__in=plot_ids), request.user).values_list(
                    "pk", flat=True
                )
            ),
        },
    )


def _lot_named(request: HttpRequest, organization, text: str) -> Lot | None:
    """The lot a user names by its number or identifier, among those they may see."""
    text = text.strip()
    held = lot_list(request.user, organization=organization, search=text)
    found = held.filter(Q(lot_number__iexact=text) | Q(epc=text)).first()
    if found is not None:
        return found
    try:
        return access_lot(request.user, epc=text)
    except NotFound:
        return None


def _show_statement_errors(form: StatementForm, error: CoopChainError) -> None:
    """The other commodity's problems beside its fields (the service names them
    commodities[1].…); the rest as the form shows any refusal."""
    own = []
    for field_error in error.errors:
        field, _sep, rest = field_error.field.partition("commodities[1].")
        if field or not rest:
            own.append(field_error)
            continue
        if rest.startswith("plots."):
            form.add_error(
                "more_lot",
                _("plot %(plot)s: %(reason)s")
                % {"plot": rest.removeprefix("plots."), "reason": field_error.reason},
            )
        else:
            name = f"more_{rest}" if f"more_{rest}" in form.fields else "more_lot"
            form.add_error(name, field_error.reason)
    apply_domain_error(form, type(error)(detail=str(error), errors=own))


@login_required
@require_GET
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = get_scoped(
        Statement.objects.select_related("lot", "organization"), request.user, pk=statement_id
    )
    return render(request, "compliance/statement_detail.html", {"statement": statement})


@login_required
@require_GET
def statement_download(request: HttpRequest, statement_id: int) -> HttpResponse:
    """The statement's JSON, or with ?part=N its N-th geolocation file."""
    statement = get_scoped(Statement.objects.all(), request.user, pk=statement_id)
    part = request.GET.get("part")
    if part is None:
        text = json.dumps(statement.data, ensure_ascii=False, indent=2)
        return _download(text.encode(), f"{statement.reference}.json", "application/json")
    try:
        file = statement.files[int(part) - 1]
    except (ValueError, IndexError):
        raise NotFound(detail=_("No such geolocation file.")) from None
    return _download(file["text"].encode(), file["name"], "application/geo+json")


@login_required
@require_http_methods(["GET", "POST"])
def risk_import(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = RiskImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = services.import_risk_results(
            organization=organization,
            file=upload,
            filename=upload.name,
            dry_run=form.cleaned_data["dry_run"],
            by=request.user,
        )
    return render(
        request,
        "compliance/risk_import.html",
        {"form": form, "report": report, "organization": organization},
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = AuditStartForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            audit = services.start_audit(
                organization=organization,
                checklist=c["checklist"],
                member=c.get("member"),
                plot=c.get("plot"),
                auditor_name=c["auditor_name"],
                audited_on=c["audited_on"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("compliance:audit_detail", audit_id=audit.pk)
    audits = selectors.audits(request.user, organization=organization)
    return render(
        request,
        "compliance/audit_list.html",
        {"organization": organization, "form": form, "page": paginate(request, audits)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = get_scoped(
        Audit.objects.select_related("checklist", "member", "plot", "organization"),
        request.user,
        pk=audit_id,
    )
    if request.method == "POST":
        return _audit_post(request, audit)
    answers = {a.control_point_id: a for a in audit.answers.all()}
    points = [(p, answers.get(p.pk)) for p in audit.checklist.points.all()]
    diary = findings_list(
        request.user,
        organization=audit.organization,
        household=audit.member if audit.plot is None else None,
        plot=audit.plot,
    )
    return render(
        request,
        "compliance/audit_detail.html",
        {
            "audit": audit,
            "points": points,
            "answered": len(answers),
            "actions": audit.actions.select_related("control_point"),
            "action_form": ActionForm(),
            "diary_findings": diary[:50],
            "evidence_form": EvidenceForm(),
            "action_statuses": CorrectiveAction.Status.choices,
        },
    )


def _audit_post(request: HttpRequest, audit: Audit) -> HttpResponse:
    action = request.POST.get("do")
    try:
        if action == "answer":
            point = get_scoped(
                ControlPoint.objects.all(), request.user, pk=request.POST.get("point")
            )
            form = AnswerForm(request.POST)
            if form.is_valid():
                services.answer_control_point(
                    audit=audit,
                    control_point=point,
                    result=form.cleaned_data["result"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            else:
                messages.error(request, _("Choose an answer."))
            return redirect(f"{request.path}#point-{point.pk}")
        if action == "action":
            form = ActionForm(request.POST)
            if form.is_valid():
                point_id = request.POST.get("point") or None
                services.add_corrective_action(
                    audit=audit,
                    description=form.cleaned_data["description"],
                    due_on=form.cleaned_data["due_on"],
                    control_point=(
                        get_scoped(ControlPoint.objects.all(), request.user, pk=point_id)
                        if point_id
                        else None
                    ),
                    by=request.user,
                )
            else:
                messages.error(request, _("Give the action and its due date."))
        elif action == "evidence":
            form = EvidenceForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                services.add_evidence(
                    organization=audit.organization,
                    upload=services.Upload(
                        upload.name, upload.read(services.EVIDENCE_MAX_BYTES + 1)
                    ),
                    description=form.cleaned_data["description"],
                    audit=audit,
                    by=request.user,
                )
        elif action == "action_status":
            corrective = get_scoped(
                CorrectiveAction.objects.filter(audit=audit),
                request.user,
                pk=request.POST.get("action"),
            )
            form = ActionStatusForm(request.POST)
            if form.is_valid():
                services.set_action_status(
                    action=corrective,
                    status=form.cleaned_data["status"],
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(request, _("Corrective action updated."))
            else:
                messages.error(request, _("Choose the status, and a done date as YYYY-MM-DD."))
        elif action == "close":
            services.close_audit(
                audit=audit, summary=request.POST.get("summary", ""), by=request.user
            )
            messages.success(request, _("Audit closed."))
        else:
            raise NotFound(detail="No such action.")
    except CoopChainError as error:
        if isinstance(error, NotFound):
            raise
        messages.error(request, "; ".join([str(error), *(e.reason for e in error.errors)]))
    return redirect("compliance:audit_detail", audit_id=audit.pk)


@login_required
@require_POST
def certificate_status(request: HttpRequest, certificate_id: int) -> HttpResponse:
    certificate = get_scoped(Certificate.objects.all(), request.user, pk=certificate_id)
    try:
        services.change_certificate_status(
            certificate=certificate,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except CoopChainError as error:
        messages.error(request, "; ".join([str(error), *(e.reason for e in error.errors)]))
    return redirect("compliance:certificate_detail", certificate_id=certificate.pk)


def _upload(file) -> services.Upload | None:
    if not file:
        return None
    return services.Upload(file.name, file.read(services.EVIDENCE_MAX_BYTES + 1))


@login_required
@require_http_methods(["GET", "POST"])
def plot_land_use(request: HttpRequest, plot_id: int) -> HttpResponse:
    """A plot's declared land-use history, each step with its evidence files: what the land
    was on the EUDR cut-off date and whether forest was cleared for it since."""
    plot = get_scoped(
        Plot.objects.select_related("member", "organization"), request.user, pk=plot_id
    )
    form = LandUseForm(request.POST or None, request.FILES or None)
    evidence_form, evidence_for = EvidenceForm(), None
    if request.method == "POST" and request.POST.get("do") == "evidence":
        record = get_scoped(
            LandUseRecord.objects.filter(plot=plot), request.user, pk=request.POST.get("record")
        )
        evidence_form, evidence_for = EvidenceForm(request.POST, request.FILES), record.pk
        form = LandUseForm()
        if evidence_form.is_valid():
            try:
                services.add_evidence(
                    organization=plot.organization,
                    upload=_upload(evidence_form.cleaned_data["file"]),
                    description=evidence_form.cleaned_data["description"],
                    land_use=record,
                    by=request.user,
                )
            except CoopChainError as error:
                apply_domain_error(evidence_form, error)
            else:
                messages.success(request, _("File kept."))
                return redirect("compliance:plot_land_use", plot_id=plot.pk)
    elif request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.record_land_use(
                plot=plot,
                since=c["since"],
                use=c["use"],
                source=c["source"],
                cleared_forest=c["cleared_forest"],
                cleared_area_ha=c["cleared_area_ha"],
                note=c["note"],
                evidence=_upload(c["file"]),
                evidence_description=c["file_description"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Land-use step recorded."))
            return redirect("compliance:plot_land_use", plot_id=plot.pk)
    records = list(
        scope(LandUseRecord.objects.filter(plot=plot), request.user)
        .order_by("since", "recorded_at", "pk")
        .prefetch_related("evidence")
    )
    return render(
        request,
        "compliance/plot_land_use.html",
        {
            "plot": plot,
            "records": records,
            "on_cutoff": use_on(records, CUTOFF_DATE),
            "cutoff": CUTOFF_DATE,
            "form": form,
            "evidence_form": evidence_form,
            "evidence_for": evidence_for,
            "blank_evidence_form": EvidenceForm(),
            "can_write": plot.organization_id in grants_for(request.user).write_org_ids,
        },
    )
