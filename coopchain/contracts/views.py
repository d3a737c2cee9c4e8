"""Contract pages: the list both parties share, a contract with its terms, signatures,
deliveries and fulfilment, and the market prices its terms refer to."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopchain.contracts import (
    amendments,
    payments,
    receipts,
    selectors,
    services,
    side_selling,
    terms,
)
from coopchain.contracts import (
    market_prices as price_files,
)
from coopchain.contracts.chart import fulfilment_chart
from coopchain.contracts.forms import (
    AmendmentForm,
    ContractForm,
    DeliveryForm,
    GradeFormSet,
    MarketPriceForm,
    PaymentRunForm,
    ReceiptForm,
    WindowFormSet,
)
from coopchain.contracts.models import LinkageContract, MarketPrice, PaymentRun
from coopchain.errors import CoopChainError, NotFound
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import Member
from coopchain.parties.tenancy import get_scoped, grants_for, scope
from coopchain.parties.web import current_organization, import_page, paginate

PRICE_WORDS = {
    "fixed": gettext_lazy("Fixed price"),
    "market": gettext_lazy("Market price"),
    "percent": gettext_lazy("Contract percentage (%(percent)s %%)"),
    "grade": gettext_lazy("Quality grade"),
    "floor": gettext_lazy("Raised to the floor price"),
    "ceiling": gettext_lazy("Lowered to the ceiling price"),
    "zero": gettext_lazy("Price cannot go below zero"),
}


def price_lines(lines: list[dict]) -> list[tuple[str, int]]:
    return [
        (str(PRICE_WORDS.get(line["code"], line["code"])) % line, line["amount"]) for line in lines
    ]


def _contract(request: HttpRequest, contract_id: int) -> LinkageContract:
    return get_scoped(
        LinkageContract.objects.select_related("buyer", "seller", "market_province"),
        request.user,
        pk=contract_id,
    )


@login_required
@require_GET
def contract_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.contracts(request.user))
    in_force = terms.in_force_for(list(page), timezone.localdate())
    rows = [(c, in_force[c.pk], side_selling.health_line(c)) for c in page]
    may_draft = any(r.name in services.PARTY_ROLES for r in grants_for(request.user).roles)
    return render(
        request, "contracts/list.html", {"page": page, "rows": rows, "may_draft": may_draft}
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_contract(request: HttpRequest) -> HttpResponse:
    """Draft a contract as the seller or the buyer; both parties then sign it."""
    organization = current_organization(request)
    services.require_party(request.user, organization)
    data = request.POST or None
    form = ContractForm(data, organization=organization)
    windows = WindowFormSet(data, prefix="windows")
    grades = GradeFormSet(data, prefix="grades")
    if form.is_valid() and windows.is_valid() and grades.is_valid():
        try:
            contract = services.create_contract(
                data=services.contract_data(
                    organization=organization,
                    values=form.cleaned_data,
                    windows=[w.cleaned_data for w in windows if w.filled],
                    grades=[g.cleaned_data for g in grades if g.filled],
                ),
                by=request.user,
            )
        except CoopChainError as error:
            _show_contract_error(form, error)
        else:
            messages.success(request, _("Contract drafted: both parties now sign it."))
            return redirect("contracts:detail", contract_id=contract.pk)
    context = {"form": form, "windows": windows, "grades": grades, "organization": organization}
    return render(request, "contracts/new.html", context)


def _show_contract_error(form: ContractForm, error: CoopChainError) -> None:
    """A refusal beside its field; the other party is one field on the page, and a window or
    grade is named by its row."""
    if not error.errors:
        form.add_error(None, str(error))
    for e in error.errors:
        name = "counterparty" if e.field in ("buyer_id", "seller_id") else e.field
        if name in form.fields:
            form.add_error(name, e.reason)
        elif e.row is not None:
            form.add_error(None, f"{e.field} {e.row + 1}: {e.reason}")
        else:
            form.add_error(None, f"{e.field}: {e.reason}")


@login_required
@require_GET
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    return _detail(request, contract, DeliveryForm(contract=contract))


def _detail(
    request: HttpRequest,
    contract: LinkageContract,
    form: DeliveryForm,
    amendment_form: AmendmentForm | None = None,
    receipt_form: ReceiptForm | None = None,
) -> HttpResponse:
    grants = grants_for(request.user)
    today = timezone.localdate()
    try:
        today_price = services.price_on(contract, today)
        price_error = ""
    except CoopChainError as error:
        today_price, price_error = None, str(error)
    deliveries = contract.deliveries.select_related("lot", "grade", "member", "receipt")
    acts_for = {
        side: bool(grants.role_names(getattr(contract, f"{side}_id")) & services.PARTY_ROLES)
        for side in ("buyer", "seller")
    }
    resolve_on = _day(request.GET.get("on")) or today
    versions = terms.versions(contract)
    pending = next((v.amendment for v in versions if v.amendment and not v.amendment.signed), None)
    in_force = terms.in_force(contract, today)
    context = {
        "contract": contract,
        "fulfilment": services.fulfilment(contract),
        "health": services.health(contract, today),
        "today": today,
        "today_price": today_price,
        "today_lines": price_lines(today_price.lines) if today_price else [],
        "price_error": price_error,
        "deliveries": [(d, price_lines(d.price_lines)) for d in deliveries[:200]],
        "advances": contract.advances.all(),
        "may_sign": {
            side: getattr(contract, f"{side}_signed_at") is None
            and contract.status == LinkageContract.Status.DRAFT
            and bool(grants.role_names(getattr(contract, f"{side}_id")) & services.PARTY_ROLES)
            for side in ("buyer", "seller")
        },
        "may_deliver": contract.takes_deliveries
        and bool(grants.role_names(contract.seller_id) & services.PARTY_ROLES),
        "form": form,
        "versions": versions,
        "in_force": in_force,
        "resolution": price_files.resolve(contract, resolve_on),
        "pending": pending,
        "may_sign_amendment": {
            side: pending is not None
            and getattr(pending, f"{side}_signed_at") is None
            and acts_for[side]
            for side in ("buyer", "seller")
        },
        "may_amend": contract.takes_deliveries
        and pending is None
        and (acts_for["buyer"] or acts_for["seller"]),
        "amendment_form": amendment_form
        or AmendmentForm(
            initial={
                "effective_on": today,
                "quantity_kg": in_force.quantity_kg,
                "price_kind": in_force.price_kind,
                "fixed_price": in_force.fixed_price,
                "market_percent": in_force.market_percent,
                "floor_price": in_force.floor_price,
                "ceiling_price": in_force.ceiling_price,
            }
        ),
        "may_receive": acts_for["buyer"],
        "receipt_form": receipt_form,
    }
    return render(request, "contracts/detail.html", context)


def _act_then_back(
    request: HttpRequest, contract: LinkageContract, act: Callable[[], object], done: str
) -> HttpResponse:
    """Run one step on the contract and return to its page, saying how it went."""
    try:
        act()
    except CoopChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("contracts:detail", contract_id=contract.pk)


@login_required
@require_POST
def sign(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    side = request.POST.get("side", "")
    return _act_then_back(
        request,
        contract,
        lambda: services.sign_contract(contract=contract, side=side, by=request.user),
        _("Signed."),
    )


@login_required
@require_POST
def deliver(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = DeliveryForm(request.POST, contract=contract)
    if form.is_valid():
        try:
            delivery = services.record_contract_delivery(
                contract=contract,
                lot=form.cleaned_data["lot"],
                quantity_kg=form.cleaned_data["quantity_kg"],
                delivered_on=form.cleaned_data["delivered_on"],
                grade=form.cleaned_data["grade"],
                measured_quality=form.cleaned_data["measured_quality"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Delivery recorded at %(price)s VND/kg.")
                % {"price": f"{delivery.price_per_kg:,}"},
            )
            return redirect("contracts:detail", contract_id=contract.pk)
    return _detail(request, contract, form)


@login_required
@require_GET
def fulfilment(request: HttpRequest, contract_id: int) -> HttpResponse:
    """Fulfilment over time, per window and per member: the side-selling view. Each household's
    figures are shown to its cooperative only; the buyer sees the totals."""
    contract = _contract(request, contract_id)
    supply = side_selling.side_selling(contract)
    context = {
        "contract": contract,
        "health": side_selling.health_line(contract, supply),
        "fulfilment": services.fulfilment(contract),
        "chart": fulfilment_chart(contract),
        "supply": supply,
        "sees_members": contract.seller_id in grants_for(request.user).record_org_ids,
        "alert_percent": side_selling.SIDE_SELLING_ALERT_PERCENT,
    }
    return render(request, "contracts/fulfilment.html", context)


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@login_required
@require_POST
def amend(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        values = form.cleaned_data
        try:
            amendment = amendments.propose_amendment(
                contract=contract,
                data=amendments.AmendmentData(
                    **{**values, "market_percent": values["market_percent"] or 0}
                ),
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Amendment %(version)s proposed: it is in force once both parties sign it.")
                % {"version": amendment.version},
            )
            return redirect("contracts:detail", contract_id=contract.pk)
    return _detail(request, contract, DeliveryForm(contract=contract), amendment_form=form)


@login_required
@require_POST
def sign_amendment(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    version = request.POST.get("version", "")
    amendment = (
        contract.amendments.filter(version=int(version)).first() if version.isdigit() else None
    )
    side = request.POST.get("side", "")

    def sign_it() -> None:
        if amendment is None:
            raise NotFound(detail=_("No amendment matches."))
        amendments.sign_amendment(amendment=amendment, side=side, by=request.user)

    return _act_then_back(request, contract, sign_it, _("Amendment signed."))


@login_required
@require_POST
def receive(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _contract(request, contract_id)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        delivery = contract.deliveries.filter(pk=form.cleaned_data["delivery"]).first()
        try:
            if delivery is None:
                raise NotFound(detail=_("No delivery of this contract matches."))
            receipts.confirm_receipt(
                delivery=delivery,
                accepted_kg=form.cleaned_data["accepted_kg"],
                rejected_kg=form.cleaned_data["rejected_kg"],
                received_on=form.cleaned_data["received_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Receipt confirmed."))
            return redirect("contracts:detail", contract_id=contract.pk)
    return _detail(request, contract, DeliveryForm(contract=contract), receipt_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def market_price_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or Excel file of market prices: all or nothing, with a dry run."""
    context = {
        "organization": current_organization(request),
        "title": _("Import market prices"),
        "list_url": "contracts:market_prices",
        "template_url": "contracts:market_price_template",
    }
    return import_page(
        request,
        "parties/import.html",
        context,
        run_import=price_files.import_market_prices,
        choose_file=_("Choose an Excel (.xlsx) or CSV file to import."),
    )


@login_required
@require_GET
def market_price_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(price_files.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="gia-thi-truong.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def market_prices(request: HttpRequest) -> HttpResponse:
    form = MarketPriceForm(request.POST or None)
    if form.is_valid():
        try:
            services.record_market_price(**form.cleaned_data, by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Market price recorded."))
            return redirect("contracts:market_prices")
    rows = scope(MarketPrice.objects.select_related("province"), request.user)
    return render(
        request, "contracts/market_prices.html", {"page": paginate(request, rows), "form": form}
    )


@login_required
@require_GET
def passbook(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_scoped(Member.objects.select_related("organization"), request.user, pk=member_id)
    rows = selectors.passbook(member)
    context = {
        "member": member,
        "rows": list(reversed(rows)),
        "balance": rows[-1][1] if rows else 0,
        "owed_by_member": -rows[-1][1] if rows else 0,
        "payments": payments.member_payments(member),
    }
    return render(request, "contracts/passbook.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def payment_runs(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = PaymentRunForm(request.POST or None)
    if form.is_valid():
        try:
            run = services.prepare_payment_run(
                organization=organization,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                recovery_limit_percent=form.cleaned_data["recovery_limit_percent"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("contracts:payment_run", run_id=run.pk)
    rows = selectors.payment_runs(request.user).filter(organization=organization)
    return render(
        request,
        "contracts/payment_runs.html",
        {"page": paginate(request, rows), "form": form, "organization": organization},
    )


@login_required
@require_GET
def payment_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_scoped(
        PaymentRun.objects.select_related("organization", "created_by", "approved_by"),
        request.user,
        pk=run_id,
    )
    may_approve, why_not = payments.may_approve(run, request.user)
    context = {
        "run": run,
        "review": payments.review(run),
        "may_approve": may_approve,
        "why_not": why_not,
    }
    return render(request, "contracts/payment_run.html", context)


@login_required
@require_POST
def payment_run_action(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_scoped(PaymentRun.objects.all(), request.user, pk=run_id)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.approve_payment_run(run=run, by=request.user)
            messages.success(request, _("Payment run approved; it can no longer change."))
        elif action == "paid":
            services.mark_payment_run_paid(run=run, paid_on=timezone.localdate(), by=request.user)
            messages.success(request, _("Payments recorded in each member's ledger."))
    except CoopChainError as error:
        messages.error(request, str(error))
    return redirect("contracts:payment_run", run_id=run.pk)
