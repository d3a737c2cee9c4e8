"""Payment pages beyond the run itself: who approves runs, the bank file of an approved run, and
the members' printable statements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coopchain.contracts import bank_export, payments, statements
from coopchain.contracts.models import PaymentLine, PaymentRun
from coopchain.errors import CoopChainError, NotFound
from coopchain.parties.models import Member
from coopchain.parties.tenancy import get_scoped, require_write
from coopchain.parties.web import current_organization


@login_required
@require_POST
def approval_rule(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    required = request.POST.get("second_person") == "on"
    try:
        payments.set_second_person_rule(
            organization=organization, required=required, by=request.user
        )
    except CoopChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("A second person now approves each payment run.")
            if required
            else _("The one who prepares a payment run may now approve it."),
        )
    return redirect("contracts:payment_runs")


def _approved_run(request: HttpRequest, run_id: int) -> PaymentRun:
    run = get_scoped(PaymentRun.objects.select_related("organization"), request.user, pk=run_id)
    # Account numbers in full: only those who change the cooperative's records.
    require_write(request.user, run.organization)
    return run


@login_required
@require_GET
def bank_file(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _approved_run(request, run_id)
    fmt = request.GET.get("format", bank_export.XLSX)
    cash = request.GET.get("list") == "cash"
    try:
        if fmt == bank_export.CSV:
            content = bank_export.export_csv(run, cash=cash)
        else:
            fmt, content = bank_export.XLSX, bank_export.export_xlsx(run)
    except CoopChainError as error:
        messages.error(request, str(error))
        return redirect("contracts:payment_run", run_id=run.pk)
    response = HttpResponse(content, content_type=bank_export.CONTENT_TYPES[fmt])
    name = bank_export.filename(run, fmt, cash=cash)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def run_statements(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _approved_run(request, run_id)
    try:
        chosen = statements.statements(run, request.GET.get("member", ""))
    except CoopChainError as error:
        messages.error(request, str(error))
        return redirect("contracts:payment_run", run_id=run.pk)
    if request.GET.get("format") == "pdf":
        response = HttpResponse(
            statements.statements_pdf(run, chosen), content_type="application/pdf"
        )
        name = bank_export.filename(run, "pdf").replace("chuyen-khoan", "phieu-thanh-toan")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response
    return render(request, "contracts/statements.html", {"run": run, "statements": chosen})


@login_required
@require_GET
def member_statement(request: HttpRequest, member_id: int, run_id: int) -> HttpResponse:
    """A member's own statement of an approved run, as a PDF: for the farmer and their
    cooperative alike (the account number in it is masked)."""
    member = get_scoped(Member.objects.all(), request.user, pk=member_id)
    line = (
        PaymentLine.objects.filter(member=member, run_id=run_id, run__status__in=payments.SETTLED)
        .select_related("run__organization", "member")
        .first()
    )
    if line is None:
        raise NotFound(detail=_("No payment statement matches."))
    pdf = statements.statements_pdf(line.run, [statements.statement(line.run, line)])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = bank_export.filename(line.run, "pdf").replace("chuyen-khoan", f"phieu-{member.code}")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
