"""The diary's pages: a plot's timeline, the entry forms (a phone first), corrections,
findings across the cooperative, and the input-product catalogue."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopchain.diary import exchange, rules, selectors, services
from coopchain.diary.forms import (
    PRODUCT_KINDS,
    EntryForm,
    FindingFilterForm,
    InputProductForm,
    WithdrawForm,
)
from coopchain.diary.models import Activity, InputProduct
from coopchain.errors import CoopChainError, NotFound
from coopchain.land.models import Plot
from coopchain.parties.exchange import CSV, XLSX
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import Member, Organization, Role
from coopchain.parties.tenancy import get_scoped, grants_for, require_write
from coopchain.parties.views import file_response
from coopchain.parties.web import (
    current_organization,
    import_page,
    paginate,
    query_without_page,
)

# The order of the big buttons: what a farmer records most, first.
KIND_ORDER = [
    Activity.Kind.SPRAYING,
    Activity.Kind.FERTILIZING,
    Activity.Kind.HARVEST,
    Activity.Kind.IRRIGATION,
    Activity.Kind.PRUNING,
    Activity.Kind.PLANTING,
    Activity.Kind.OTHER,
]


def _own_household(request: HttpRequest, organization: Organization) -> Member | None:
    """The household a farmer records for, when they hold no other role in the cooperative."""
    roles = [r for r in grants_for(request.user).roles if r.organization_id == organization.pk]
    if roles and all(r.name == Role.Name.FARMER for r in roles):
        return roles[0].member
    return None


def _kinds() -> list[dict[str, Any]]:
    labels = dict(Activity.Kind.choices)
    return [{"value": k, "label": labels[k]} for k in KIND_ORDER]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    household = _own_household(request, organization)
    plots = selectors.recordable_plots(request.user, organization=organization)
    kind = request.GET.get("kind", "")
    entries = selectors.activities(
        request.user,
        organization=organization,
        kind=kind if kind in Activity.Kind.values else "",
    )
    return render(
        request,
        "diary/index.html",
        {
            "organization": organization,
            "household": household,
            "plots": plots if household else plots[:0],
            "plot_count": plots.count(),
            "page": paginate(request, entries),
            "query": query_without_page(request),
            "kinds": _kinds(),
            "kind": kind,
        },
    )


@login_required
@require_GET
def choose_kind(request: HttpRequest) -> HttpResponse:
    """Step one of a new entry: what was done, as big buttons."""
    organization = current_organization(request)
    return render(
        request,
        "diary/choose_kind.html",
        {"organization": organization, "kinds": _kinds(), "plot": request.GET.get("plot", "")},
    )


def _entry_form(
    request: HttpRequest,
    organization: Organization,
    kind: str,
    *,
    initial: dict[str, Any] | None = None,
    correcting: Activity | None = None,
) -> EntryForm:
    household = _own_household(request, organization)
    if correcting is not None:
        household = correcting.household
    plots = list(selectors.recordable_plots(request.user, organization=organization))
    if household is not None:
        plots = [p for p in plots if p.member_id == household.pk]
    products = selectors.products_for_entry(
        request.user,
        organization=organization,
        household=household,
        kinds=PRODUCT_KINDS.get(kind, ()),
    )
    return EntryForm(
        request.POST or None,
        kind=kind,
        plots=plots,
        products=products,
        with_household=_own_household(request, organization) is None,
        correcting=correcting is not None,
        initial=initial,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_entry(request: HttpRequest, kind: str) -> HttpResponse:
    """A new diary entry. A harvest is checked first: its findings are shown, and recorded
    only once the user confirms (its lot then carries them)."""
    if kind not in Activity.Kind.values:
        raise NotFound(detail="No such kind of entry.")
    organization = current_organization(request)
    chosen = request.GET.get("plot", "")
    form = _entry_form(
        request, organization, kind, initial={"plot": int(chosen)} if chosen.isdigit() else {}
    )
    findings: list[rules.Finding] = []
    if request.method == "POST" and form.is_valid():
        data = form.to_data()
        try:
            if kind == Activity.Kind.HARVEST and not request.POST.get("confirm"):
                findings = services.preview_harvest(
                    organization=organization, data=data, by=request.user
                )
            if not findings:
                activity = services.record_activity(
                    organization=organization, data=data, by=request.user
                )
                messages.success(request, _recorded_message(activity))
                return redirect("diary:entry_detail", entry_id=activity.pk)
        except CoopChainError as error:
            apply_domain_error(form, error)
    return _render_entry_form(request, form, organization, kind, findings=findings)


def _recorded_message(activity: Activity) -> str:
    if activity.is_harvest and activity.lot_id:
        if activity.eligibility.eligible:
            return _("Harvest recorded as lot %(lot)s.") % {"lot": activity.lot}
        return _(
            "Harvest recorded as lot %(lot)s. The lot is not eligible for certified claims."
        ) % {"lot": activity.lot}
    return _("Entry recorded.")


def _render_entry_form(
    request: HttpRequest,
    form: EntryForm,
    organization: Organization,
    kind: str,
    *,
    findings: list[rules.Finding] | None = None,
    correcting: Activity | None = None,
) -> HttpResponse:
    return render(
        request,
        "diary/entry_form.html",
        {
            "organization": organization,
            "form": form,
            "kind": kind,
            "kind_label": Activity.Kind(kind).label,
            "findings": findings or [],
            "correcting": correcting,
            "product_units": form.product_units(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def plot_diary(request: HttpRequest, plot_id: int) -> HttpResponse:
    plot = get_scoped(
        Plot.objects.select_related("member", "organization"), request.user, pk=plot_id
    )
    history = request.GET.get("history") == "1"
    return render(
        request,
        "diary/plot_diary.html",
        {
            "plot": plot,
            "organization": plot.organization,
            "rows": selectors.plot_diary(request.user, plot, history=history),
            "running": selectors.running_intervals(request.user, plot),
            "history": history,
            "crops": [c for c in plot.crops.select_related("crop") if c.ended_year is None],
        },
    )


def _scoped_entry(request: HttpRequest, entry_id: int) -> Activity:
    return get_scoped(
        Activity.objects.select_related(
            "household", "organization", "crop", "lot", "recorded_by", "performed_by"
        ).prefetch_related("plot_links__plot", "lines__product"),
        request.user,
        pk=entry_id,
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _scoped_entry(request, entry_id)
    is_current = not entry.withdrawn and not Activity.objects.filter(corrects=entry).exists()
    findings = (
        selectors.household_findings(request.user, entry.household).get(entry.pk, [])
        if is_current
        else []
    )
    eligibility = getattr(entry, "eligibility", None) if entry.lot_id else None
    return render(
        request,
        "diary/entry_detail.html",
        {
            "entry": entry,
            "organization": entry.organization,
            "versions": selectors.history_of(entry),
            "is_current": is_current,
            "findings": findings,
            "eligibility": eligibility,
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A new version of an entry; the one it replaces stays in the history."""
    entry = _scoped_entry(request, entry_id)
    organization = entry.organization
    form = _entry_form(
        request, organization, entry.kind, initial=EntryForm.initial_for(entry), correcting=entry
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.correct_activity(
                original=entry,
                data=form.to_data(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Correction recorded; the earlier version is kept."))
            return redirect("diary:entry_detail", entry_id=correction.pk)
    return _render_entry_form(request, form, organization, entry.kind, correcting=entry)


@login_required
@require_POST
def withdraw_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _scoped_entry(request, entry_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the entry is withdrawn."))
        return redirect("diary:entry_detail", entry_id=entry.pk)
    withdrawal = services.withdraw_activity(
        original=entry, reason=form.cleaned_data["reason"], by=request.user
    )
    messages.success(request, _("Entry withdrawn; it stays in the history."))
    return redirect("diary:entry_detail", entry_id=withdrawal.pk)


@login_required
@require_GET
def findings(request: HttpRequest) -> HttpResponse:
    """Every finding across the cooperative's diaries (a farmer's own), filtered."""
    organization = current_organization(request)
    households = list(selectors.households_with_entries(request.user, organization=organization))
    filters = FindingFilterForm(
        request.GET or None,
        households=households,
        codes=[(code, rules.label(code)) for code in rules.CODES],
    )
    filters.is_valid()
    cleaned = getattr(filters, "cleaned_data", {})
    household = next((m for m in households if m.pk == cleaned.get("household")), None)
    rows = selectors.findings_list(
        request.user,
        organization=organization,
        household=household,
        code=cleaned.get("code") or "",
        date_from=cleaned.get("date_from"),
        date_to=cleaned.get("date_to"),
    )
    return render(
        request,
        "diary/findings.html",
        {
            "organization": organization,
            "filters": filters,
            "page": paginate(request, rows),
            "query": query_without_page(request),
        },
    )


@login_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    kind = request.GET.get("kind", "")
    products = selectors.input_products(
        request.user,
        organization=organization,
        kind=kind if kind in InputProduct.Kind.values else "",
        search=request.GET.get("q", ""),
    )
    return render(
        request,
        "diary/product_list.html",
        {
            "organization": organization,
            "page": paginate(request, products),
            "query": query_without_page(request),
            "kinds": InputProduct.Kind.choices,
            "kind": kind,
            "q": request.GET.get("q", ""),
            "can_write": organization.pk in grants_for(request.user).write_org_ids,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    require_write(request.user, organization)
    form = InputProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_input_product(
                organization=organization, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Product added to your list."))
            return redirect("diary:product_list")
    return render(request, "diary/product_form.html", {"form": form, "organization": organization})


IMPORT_TITLE = gettext_lazy("Import input products")


@login_required
@require_http_methods(["GET", "POST"])
def product_import(request: HttpRequest) -> HttpResponse:
    """The upload form, and after an upload the report, as for members."""
    organization = current_organization(request)
    require_write(request.user, organization)
    return import_page(
        request,
        "diary/product_import.html",
        {"organization": organization, "title": IMPORT_TITLE},
        run_import=partial(exchange.import_input_products, organization=organization),
        choose_file=_("Choose an Excel (.xlsx) or CSV file to import."),
    )


@login_required
@require_GET
def product_template(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", XLSX)
    if fmt not in (XLSX, CSV):
        fmt = XLSX
    return file_response(exchange.template_file(fmt), f"mau-vat-tu.{fmt}", fmt)
