"""Milk-collection pages: the collector's screen and receipt, a farmer's deliveries and bills,
the cooperative's deliveries needing attention, tanks and bulk lots, and bills."""

from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coopchain.dairy import checks, exports, selectors, services
from coopchain.dairy.forms import (
    CorrectionForm,
    DeductionForm,
    DeliveryForm,
    LabTestForm,
    PeriodForm,
    RateChartForm,
    ShipForm,
    default_shift,
    half_month,
)
from coopchain.dairy.models import BulkLot, Deduction, Delivery, MilkBill, RateChart
from coopchain.errors import CoopChainError, NotFound
from coopchain.parties.exchange import CSV, XLSX
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import Facility, Organization, Role
from coopchain.parties.tenancy import get_scoped, grants_for, scope
from coopchain.parties.views import file_response
from coopchain.parties.web import current_organization, paginate

CENTRE_KEY = "dairy_centre"


def _is_farmer_only(request: HttpRequest, organization_id: int) -> bool:
    names = grants_for(request.user).role_names(organization_id)
    return bool(names) and names <= {Role.Name.FARMER}


def _receipt(delivery: Delivery) -> dict[str, Any]:
    return {
        "delivery": delivery,
        "flag_messages": checks.messages(delivery.flags),
        "price_lines": price_lines(delivery),
    }


def price_lines(delivery: Delivery) -> list[str]:
    words = {
        "base": _("Base price"),
        "solids": _("Total solids grade from %(grade)s %%"),
        "below_grades": _("Total solids below the lowest grade (%(grade)s %%)"),
        "bacteria": _("Bacteria above %(above)s per ml"),
        "grid": _("Fat from %(fat)s %% and SNF from %(snf)s %%"),
        "below_grid": _("Fat or SNF below every cell of the chart: not paid"),
        "floor": _("Price cannot go below zero"),
        "rejected": _("Rejected: not paid"),
    }
    lines = []
    for line in delivery.price_lines:
        label = words.get(line["code"], line["code"]) % {
            k: (f"{v:,}" if isinstance(v, int) else v) for k, v in line.items()
        }
        lines.append(
            f"{label}: {line['amount']:+,} VND/kg" if line["code"] != "rejected" else label
        )
    return lines


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    rows = selectors.deliveries(request.user, organization=organization).filter(
        correction__isnull=True
    )
    farmer_only = _is_farmer_only(request, organization.pk)
    today = timezone.localdate()
    return render(
        request,
        "dairy/index.html",
        {
            "organization": organization,
            "farmer_only": farmer_only,
            "farm_sizes": []
            if farmer_only
            else selectors.milk_by_farm_size(
                request.user, organization=organization, start=today - timedelta(days=29), end=today
            ),
            "page": paginate(request, rows),
            "bills": selectors.bills(request.user, organization=organization)[:6],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def collect(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    services.require_collect(request.user, organization)
    initial = {
        "shift": request.session.get("dairy_shift") or None,
        "centre": request.session.get(CENTRE_KEY),
    }
    form = DeliveryForm(request.POST or None, organization=organization, initial=initial)
    if not request.POST:
        form.initial["shift"] = default_shift()
    if form.is_valid():
        try:
            delivery = services.record_delivery(
                centre=form.cleaned_data["centre"],
                member=form.cleaned_data["member"],
                shift=form.cleaned_data["shift"],
                delivered_at=timezone.now(),
                reading=form.reading(),
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            request.session[CENTRE_KEY] = delivery.centre_id
            return redirect("dairy:delivery_detail", delivery_id=delivery.pk)
    return render(
        request,
        "dairy/collect.html",
        {"organization": organization, "form": form, "candidates": form.candidates},
    )


@login_required
@require_GET
def member_options(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    services.require_collect(request.user, organization)
    found = selectors.members_matching(organization, request.GET.get("member", ""))
    return render(request, "dairy/_member_options.html", {"members": found})


@login_required
@require_GET
def delivery_detail(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_scoped(
        Delivery.objects.select_related("member", "centre", "lot", "corrects", "bulk_lot"),
        request.user,
        pk=delivery_id,
    )
    context = _receipt(delivery)
    context["correction"] = Delivery.objects.filter(corrects=delivery).first()
    context["can_correct"] = delivery.organization_id in grants_for(request.user).record_org_ids
    context["lab_tests"] = [(t, checks.messages(t.flags)) for t in delivery.lab_tests.all()]
    context["can_manage"] = can_manage(request.user, delivery.organization_id)
    return render(request, "dairy/delivery_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def correct_delivery(request: HttpRequest, delivery_id: int) -> HttpResponse:
    original = get_scoped(
        Delivery.objects.select_related("member", "centre"), request.user, pk=delivery_id
    )
    services.require_collect(request.user, original.organization)
    form = CorrectionForm(request.POST or None, initial=CorrectionForm.initial_for(original))
    if form.is_valid():
        try:
            fixed = services.correct_delivery(
                original=original,
                reading=form.reading(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Correction recorded; the first record is kept."))
            return redirect("dairy:delivery_detail", delivery_id=fixed.pk)
    return render(request, "dairy/correct.html", {"form": form, "delivery": original})


@login_required
@require_GET
def attention(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    groups = selectors.needing_attention(request.user, organization=organization)
    for group in groups:
        group["rows"] = [(d, checks.messages(d.flags)) for d in group["deliveries"]]
    return render(request, "dairy/attention.html", {"organization": organization, "groups": groups})


def _tank_problem(problem: Any) -> str:
    if not hasattr(problem, "field"):
        return str(problem)
    return _("Row %(row)s, %(column)s: %(reason)s (%(value)s)") % {
        "row": problem.row,
        "column": problem.field,
        "reason": problem.reason,
        "value": problem.value,
    }


@login_required
@require_http_methods(["GET", "POST"])
def bulk_lots(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    if request.method == "POST" and "log" in request.FILES:
        services.require_collect(request.user, organization)
        centre = get_scoped(Facility.objects.all(), request.user, pk=request.POST.get("centre"))
        text = request.FILES["log"].read().decode("utf-8", errors="replace")
        try:
            stored = services.import_tank_log(centre=centre, text=text, by=request.user)
        except CoopChainError as error:
            for problem in getattr(error, "errors", [])[:20] or [error]:
                messages.error(request, _tank_problem(problem))
        else:
            messages.success(request, _("%(count)d new tank readings.") % {"count": stored})
        return redirect("dairy:bulk_lots")
    if request.method == "POST":
        services.require_collect(request.user, organization)
        centre = get_scoped(Facility.objects.all(), request.user, pk=request.POST.get("centre"))
        try:
            day = date.fromisoformat(request.POST.get("day", ""))
            services.make_bulk_lots(
                organization=organization,
                tanks=[(centre, day, request.POST.get("shift", ""))],
                by=request.user,
            )
        except ValueError:
            messages.error(request, _("Give the day as YYYY-MM-DD."))
        except CoopChainError as error:
            messages.error(request, str(error))
        return redirect("dairy:bulk_lots")
    centres = Facility.objects.filter(
        organization=organization, kind=Facility.Kind.COLLECTION_CENTRE
    )
    return render(
        request,
        "dairy/bulk_lots.html",
        {
            "organization": organization,
            "page": paginate(request, selectors.bulk_lots(request.user, organization=organization)),
            "centres": centres,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulk_lot_detail(request: HttpRequest, bulk_lot_id: int) -> HttpResponse:
    bulk_lot = get_scoped(
        BulkLot.objects.select_related("centre", "lot", "processor"), request.user, pk=bulk_lot_id
    )
    form = ShipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ship_bulk_lots(
                bulk_lots=[bulk_lot],
                processor=form.cleaned_data["processor"],
                shipped_at=timezone.now(),
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            return redirect("dairy:bulk_lot_detail", bulk_lot_id=bulk_lot.pk)
    deliveries = selectors.deliveries(request.user).filter(bulk_lot=bulk_lot)
    return render(
        request,
        "dairy/bulk_lot_detail.html",
        {
            "bulk_lot": bulk_lot,
            "deliveries": deliveries,
            "form": form,
            "can_ship": bulk_lot.organization_id in grants_for(request.user).record_org_ids,
            "can_manage": can_manage(request.user, bulk_lot.organization_id),
            "tank_days": selectors.tank_days(bulk_lot.centre),
        },
    )


def _period(request: HttpRequest, *, from_query: bool = False) -> tuple[PeriodForm, date, date]:
    start, end = half_month(timezone.localdate())
    data = request.GET if from_query else request.POST or request.GET
    form = PeriodForm(data or None, initial={"start": start, "end": end})
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


@login_required
@require_http_methods(["GET", "POST"])
def bills(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form, start, end = _period(request)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                services.close_bills(
                    organization=organization, start=start, end=end, by=request.user
                )
                messages.success(request, _("The period is closed."))
            else:
                made = services.generate_bills(
                    organization=organization, start=start, end=end, by=request.user
                )
                messages.success(request, _("%(count)d bills made.") % {"count": len(made)})
        except CoopChainError as error:
            messages.error(request, str(error))
        return redirect(f"{request.path}?start={start}&end={end}")
    rows = selectors.bills(request.user, organization=organization).filter(
        period_start=start, period_end=end
    )
    return render(
        request,
        "dairy/bills.html",
        {
            "organization": organization,
            "form": form,
            "page": paginate(request, rows),
            "start": start,
            "end": end,
        },
    )


@login_required
@require_GET
def bill_detail(request: HttpRequest, bill_id: int) -> HttpResponse:
    bill = get_scoped(
        MilkBill.objects.select_related("member", "organization"), request.user, pk=bill_id
    )
    lines = selectors.bill_lines([bill])[bill.pk]
    return render(request, "dairy/bill_detail.html", {"bill": bill, "lines": lines})


@login_required
@require_GET
def bills_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("fmt", CSV)
    if fmt not in (CSV, XLSX):
        raise NotFound(detail=_("No such format."))
    organization = current_organization(request)
    _form, start, end = _period(request)
    rows = selectors.bills(request.user, organization=organization).filter(
        period_start=start, period_end=end
    )
    content = exports.bills_file(list(rows), fmt)
    return file_response(content, f"milk-bills-{start}-{end}.{fmt}", fmt)


def can_manage(user: Any, organization_id: int) -> bool:
    return bool(grants_for(user).role_names(organization_id) & {Role.Name.ADMIN, Role.Name.MANAGER})


def _managed_organization(request: HttpRequest) -> Organization:
    organization = current_organization(request)
    services.require_manager(request.user, organization)
    return organization


@login_required
@require_GET
def rate_charts(request: HttpRequest) -> HttpResponse:
    organization = _managed_organization(request)
    rows = (
        scope(RateChart.objects.all(), request.user)
        .filter(organization=organization)
        .select_related("processor", "centre")
    )
    return render(
        request,
        "dairy/rate_charts.html",
        {"organization": organization, "page": paginate(request, rows)},
    )


def _chart_kwargs(data: services.ChartData) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


@login_required
@require_http_methods(["GET", "POST"])
def rate_chart_new(request: HttpRequest) -> HttpResponse:
    organization = _managed_organization(request)
    form = RateChartForm(request.POST or None, organization=organization)
    if form.is_valid():
        try:
            services.create_rate_chart(
                organization=organization, by=request.user, **_chart_kwargs(form.data_for_service())
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Rate chart saved."))
            return redirect("dairy:rate_charts")
    return render(request, "dairy/rate_chart_form.html", {"form": form, "chart": None})


@login_required
@require_http_methods(["GET", "POST"])
def rate_chart_edit(request: HttpRequest, chart_id: int) -> HttpResponse:
    chart = get_scoped(
        RateChart.objects.select_related("organization").prefetch_related(
            "solids_grades", "bacteria_grades", "grid"
        ),
        request.user,
        pk=chart_id,
    )
    services.require_manager(request.user, chart.organization)
    form = RateChartForm(
        request.POST or None,
        organization=chart.organization,
        initial=RateChartForm.initial_for(chart),
    )
    if form.is_valid():
        try:
            services.update_rate_chart(chart=chart, data=form.data_for_service(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Rate chart saved."))
            return redirect("dairy:rate_charts")
    return render(request, "dairy/rate_chart_form.html", {"form": form, "chart": chart})


def _lab_test(request: HttpRequest, sample: Delivery | BulkLot, back: str) -> HttpResponse:
    services.require_manager(request.user, sample.organization)
    form = LabTestForm(request.POST or None, initial={"sampled_on": timezone.localdate()})
    if form.is_valid():
        is_delivery = isinstance(sample, Delivery)
        try:
            services.record_lab_test(
                organization=sample.organization,
                delivery=sample if is_delivery else None,
                bulk_lot=None if is_delivery else sample,
                by=request.user,
                **form.cleaned_data,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Lab test recorded."))
            return redirect(back)
    return render(request, "dairy/lab_test_form.html", {"form": form, "sample": sample})


@login_required
@require_http_methods(["GET", "POST"])
def delivery_lab_test(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_scoped(
        Delivery.objects.select_related("organization", "member", "centre"),
        request.user,
        pk=delivery_id,
    )
    return _lab_test(request, delivery, reverse("dairy:delivery_detail", args=[delivery.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def bulk_lot_lab_test(request: HttpRequest, bulk_lot_id: int) -> HttpResponse:
    bulk_lot = get_scoped(
        BulkLot.objects.select_related("organization", "centre"), request.user, pk=bulk_lot_id
    )
    return _lab_test(request, bulk_lot, reverse("dairy:bulk_lot_detail", args=[bulk_lot.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def deductions(request: HttpRequest) -> HttpResponse:
    organization = _managed_organization(request)
    _form, start, end = _period(request, from_query=True)
    form = DeductionForm(
        request.POST or None, organization=organization, initial={"on": timezone.localdate()}
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_deduction(
                member=data["member"],
                on=data["on"],
                kind=data["kind"],
                amount=data["amount"],
                note=data.get("note") or "",
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Deduction recorded."))
            return redirect(f"{request.path}?start={start}&end={end}")
    rows = (
        scope(Deduction.objects.all(), request.user)
        .filter(organization=organization, on__gte=start, on__lte=end)
        .select_related("member")
    )
    return render(
        request,
        "dairy/deductions.html",
        {
            "organization": organization,
            "form": form,
            "page": paginate(request, rows),
            "start": start,
            "end": end,
        },
    )
