"""Payment runs through /api/v1/ beyond preparing, approving and paying them: the review of a
run line by line, its bank file and statements, and who approves runs. Operations join the
contracts router (imported by coopchain.contracts.api); their schemas live here with them."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from coopchain.contracts import bank_export, payments, statements
from coopchain.contracts.api import router
from coopchain.contracts.models import PaymentRun
from coopchain.parties.models import Organization
from coopchain.parties.tenancy import get_scoped, require_write


class DeductionOut(Schema):
    kind: str
    owed: int
    taken: int


class ReviewLineOut(Schema):
    member_id: int
    member_code: str
    due: int
    limit: int
    deductions: list[DeductionOut]
    deduction: int
    pay: int
    still_owed: int
    has_bank_account: bool


class ReviewOut(Schema):
    run_id: int
    status: str
    recovery_order: list[str]
    second_person_required: bool
    prepared_by: str | None
    due: int
    deduction: int
    pay: int
    lines: list[ReviewLineOut]


class ApprovalRuleIn(Schema):
    second_person: bool


class ApprovalRuleOut(Schema):
    organization_id: int
    second_person: bool


class BankFileQuery(Schema):
    format: Literal["csv", "xlsx"] = "xlsx"
    list: Literal["transfers", "cash"] = "transfers"


def _run(request: HttpRequest, run_id: int) -> PaymentRun:
    return get_scoped(
        PaymentRun.objects.select_related("organization", "created_by"), request.user, pk=run_id
    )


@router.get("/payment-runs/{run_id}/review", response=ReviewOut)
def review_payment_run(request: HttpRequest, run_id: int):
    run = _run(request, run_id)
    review = payments.review(run)
    return {
        "run_id": run.pk,
        "status": run.status,
        "recovery_order": list(payments.RECOVERY_ORDER),
        "second_person_required": run.organization.payment_runs_need_second_person,
        "prepared_by": run.created_by.username if run.created_by else None,
        "due": review.due,
        "deduction": review.deduction,
        "pay": review.pay,
        "lines": [
            {
                "member_id": row.line.member_id,
                "member_code": row.line.member.code,
                "due": row.line.due,
                "limit": row.limit,
                "deductions": payments.parts_of(row.line),
                "deduction": row.line.deduction,
                "pay": row.line.pay,
                "still_owed": row.still_owed,
                "has_bank_account": bool(row.line.member.bank_account),
            }
            for row in review.lines
        ],
    }


def _approved_run(request: HttpRequest, run_id: int) -> PaymentRun:
    run = _run(request, run_id)
    # Account numbers in full: only those who change the cooperative's records.
    require_write(request.user, run.organization)
    return run


@router.get("/payment-runs/{run_id}/bank-file", summary="An approved run's bank file")
def payment_run_bank_file(request: HttpRequest, run_id: int, query: Query[BankFileQuery]):
    run = _approved_run(request, run_id)
    cash = query.list == "cash"
    if query.format == bank_export.CSV:
        content = bank_export.export_csv(run, cash=cash)
    else:
        content = bank_export.export_xlsx(run)
    response = HttpResponse(content, content_type=bank_export.CONTENT_TYPES[query.format])
    name = bank_export.filename(run, query.format, cash=cash)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/payment-runs/{run_id}/statements.pdf", summary="Members' statements as a PDF")
def payment_run_statements(request: HttpRequest, run_id: int, member_code: str = ""):
    run = _approved_run(request, run_id)
    pdf = statements.statements_pdf(run, statements.statements(run, member_code))
    return HttpResponse(pdf, content_type="application/pdf")


@router.put("/organizations/{organization_id}/payment-approval-rule", response=ApprovalRuleOut)
def set_payment_approval_rule(request: HttpRequest, organization_id: int, payload: ApprovalRuleIn):
    organization = get_scoped(Organization.objects.all(), request.user, pk=organization_id)
    organization = payments.set_second_person_rule(
        organization=organization, required=payload.second_person, by=request.user
    )
    return {
        "organization_id": organization.pk,
        "second_person": organization.payment_runs_need_second_person,
    }
