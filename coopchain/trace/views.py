import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopchain.errors import CoopChainError
from coopchain.lib.gs1 import IdentifierError, gtin_link, sscc_link
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.tenancy import get_scoped, grants_for, scope
from coopchain.parties.web import current_organization, paginate, query_without_page
from coopchain.trace import catalog, mass_balance, recalls, selectors
from coopchain.trace.forms import LotFilterForm, ProductForm, RecallForm
from coopchain.trace.identifiers import normalise_code, platform_lot_uri, public_uri
from coopchain.trace.models import Lot, Product, Recall
from coopchain.trace.panels import lot_panels
from coopchain.trace.public import linkset, public_trace, published_lot, step_name

LABELS_PER_PAGE = 24  # 3 x 8 on A4, the common sticker sheet
LABEL_SHEETS = (21, 24, 40, 65)  # the A4 sticker layouts labels.css knows


def _can_write(request: HttpRequest, organization_id: int) -> bool:
    return organization_id in grants_for(request.user).write_org_ids


# --- products ------------------------------------------------------------------------


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    products = selectors.product_list(request.user, organization=organization)
    return render(
        request,
        "trace/product_list.html",
        {"organization": organization, "page": paginate(request, products)},
    )


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.create_product(organization=organization, data=form.to_data(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Product added."))
            return redirect("trace:product_list")
    return render(request, "trace/product_form.html", {"form": form, "organization": organization})


@login_required
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_scoped(Product.objects.all(), request.user, pk=product_id)
    initial = {f: getattr(product, f) for f in ("name", "gtin", "hs_code", "commodity", "unit")}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            catalog.update_product(product=product, data=form.to_data(), by=request.user)
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("trace:product_list")
    return render(
        request,
        "trace/product_form.html",
        {"form": form, "product": product, "organization": product.organization},
    )


@login_required
@require_POST
def product_delete(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_scoped(Product.objects.all(), request.user, pk=product_id)
    try:
        catalog.delete_product(product=product, by=request.user)
    except CoopChainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Product deleted."))
    return redirect("trace:product_list")


# --- lots ----------------------------------------------------------------------------


@login_required
def lot_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    filters = LotFilterForm(request.GET or None)
    filters.is_valid()
    cleaned = getattr(filters, "cleaned_data", {})
    lots = selectors.lot_list(
        request.user,
        organization=organization,
        search=cleaned.get("q", ""),
        status=cleaned.get("status", ""),
        kind=cleaned.get("kind", ""),
    )
    return render(
        request,
        "trace/lot_list.html",
        {
            "organization": organization,
            "filters": filters,
            "page": paginate(request, lots),
            "query": query_without_page(request),
        },
    )


def _qr_svg(uri: str, scale: int = 3) -> str:
    return segno.make(uri, error="m").svg_inline(scale=scale, border=2)


@login_required
def lot_detail(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    uri = public_uri(lot)
    backward = selectors.backward_trace(lot, user=request.user)
    forward = selectors.forward_trace(lot, user=request.user)
    organization = current_organization(request)
    events = selectors.lot_events(lot, user=request.user)
    return render(
        request,
        "trace/lot_detail.html",
        {
            "lot": lot,
            "quantity": selectors.made_quantity(lot),
            "uri": uri,
            "qr": _qr_svg(uri) if uri else "",
            "events": [(event, step_name(event)) for event in events],
            "backward": backward,
            "forward": forward,
            "findings": mass_balance.lot_findings(lot),
            "panels": lot_panels(request, lot),
            "recalls": scope(Recall.objects.filter(lots=lot), request.user).select_related(
                "organization"
            ),
            "can_publish": _can_write(request, lot.organization_id),
            "can_recall": _can_write(request, organization.pk)
            and selectors.held_lots(request.user, organization).filter(pk=lot.pk).exists(),
        },
    )


@login_required
def lot_trace(request: HttpRequest, lot_id: int, direction: str) -> HttpResponse:
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    if direction not in ("backward", "forward"):
        raise Http404
    trace = selectors.trace_lots([lot], direction, user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "trace/lot_trace.html",
        {
            "lot": lot,
            "trace": trace,
            "direction": direction,
            "steps": [(event, step_name(event)) for event in trace.events],
        },
    )


@login_required
@require_POST
def lot_publish(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    published = request.POST.get("published") == "1"
    catalog.publish_lot(lot=lot, published=published, by=request.user)
    messages.success(
        request,
        _("The public trace page is on.") if published else _("The public trace page is off."),
    )
    return redirect("trace:lot_detail", lot_id=lot.pk)


@login_required
def lot_recall(request: HttpRequest, lot_id: int) -> HttpResponse:
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    organization = current_organization(request)
    form = RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recall = recalls.start_recall(
                organization=organization,
                lot=lot,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Recall started: %(count)s lots are marked recalled.")
                % {"count": recall.lots.count()},
            )
            return redirect("trace:recall_detail", recall_id=recall.pk)
    forward = selectors.forward_trace(lot, user=request.user)
    return render(request, "trace/recall_form.html", {"lot": lot, "form": form, "forward": forward})


@login_required
def lot_qr(request: HttpRequest, lot_id: int, fmt: str) -> HttpResponse:
    lot = selectors.access_lot(request.user, lot_id=lot_id)
    return _qr_response(lot, fmt)


def _qr_response(lot: Lot, fmt: str) -> HttpResponse:
    uri = public_uri(lot)
    if uri is None:
        raise Http404
    qr = segno.make(uri, error="m")
    out = io.BytesIO()
    if fmt == "png":
        qr.save(out, kind="png", scale=10, border=4)
        content_type = "image/png"
    else:
        qr.save(out, kind="svg", scale=10, border=4, xmldecl=True)
        content_type = "image/svg+xml"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
def label_sheet(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.GET.getlist("lots") if i.isdigit()]
    lots = list(
        selectors.visible_lots(request.user)
        .filter(pk__in=ids)
        .select_related("product", "organization")
        .order_by("lot_number", "pk")
    )
    raw = request.GET.get("per_page", "")
    per_page = int(raw) if raw.isdigit() and int(raw) in LABEL_SHEETS else LABELS_PER_PAGE
    labels = [
        {"lot": lot, "uri": uri, "qr": _qr_svg(uri, scale=2)}
        for lot in lots
        if (uri := public_uri(lot))
    ]
    pages = [labels[i : i + per_page] for i in range(0, len(labels), per_page)]
    return render(
        request,
        "trace/label_sheet.html",
        {"pages": pages, "per_page": per_page, "skipped": len(lots) - len(labels)},
    )


# --- recalls and findings ----------------------------------------------------------------


@login_required
def recall_list(request: HttpRequest) -> HttpResponse:
    found = scope(Recall.objects.all(), request.user).select_related("lot", "organization")
    return render(request, "trace/recall_list.html", {"page": paginate(request, found)})


@login_required
def recall_detail(request: HttpRequest, recall_id: int) -> HttpResponse:
    recall = get_scoped(
        Recall.objects.select_related("lot", "organization", "started_by"),
        request.user,
        pk=recall_id,
    )
    report = recalls.recall_report(recall, user=request.user)
    return render(
        request,
        "trace/recall_detail.html",
        {"recall": recall, "report": report, "columns": recalls.COLUMNS},
    )


@login_required
def recall_export(request: HttpRequest, recall_id: int, fmt: str) -> HttpResponse:
    recall = get_scoped(Recall.objects.select_related("lot"), request.user, pk=recall_id)
    report = recalls.recall_report(recall, user=request.user)
    stamp = timezone.localtime(recall.started_at).strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(
            recalls.report_xlsx(report),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(recalls.report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recall-{recall.pk}-{stamp}.{fmt}"'
    return response


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    found = mass_balance.organization_findings(organization)
    return render(
        request,
        "trace/finding_list.html",
        {"organization": organization, "page": paginate(request, found)},
    )


# --- the public resolver ------------------------------------------------------------------


def _wants(request: HttpRequest) -> str:
    link_type = request.GET.get("linkType", "")
    if link_type in ("all", "linkset"):
        return "linkset"
    if link_type in ("gs1:traceability", "traceability"):
        return "json"
    preferred = request.get_preferred_type(
        ["text/html", "application/linkset+json", "application/json", "application/ld+json"]
    )
    return "html" if preferred in (None, "text/html") else "linkset"


def _public_response(request: HttpRequest, epc: str | None) -> HttpResponse:
    lot = published_lot(epc=epc) if epc else None
    if lot is None:
        raise Http404(_("No published lot has this identifier."))
    summary = public_trace(lot)
    wants = _wants(request)
    if wants == "json":
        response: HttpResponse = JsonResponse(summary.as_json())
    elif wants == "linkset":
        content_type = (
            "application/linkset+json"
            if "linkset" in request.headers.get("Accept", "") or request.GET.get("linkType")
            else "application/json"
        )
        response = JsonResponse(linkset(lot, summary), content_type=content_type)
    else:
        response = render(request, "trace/public_lot.html", {"trace": summary})
    response["Vary"] = "Accept"
    response["Link"] = f'<{summary.uri}>; rel="https://gs1.org/voc/pip"'
    return response


def resolve_gtin(request: HttpRequest, gtin: str, qualifier: str, value: str) -> HttpResponse:
    """/01/{gtin}/10/{lot} and /01/{gtin}/21/{serial}."""
    try:
        epc = gtin_link(gtin, **{"lot" if qualifier == "10" else "serial": value})
    except IdentifierError:
        epc = None
    return _public_response(request, epc)


def resolve_sscc(request: HttpRequest, sscc: str) -> HttpResponse:
    try:
        epc = sscc_link(sscc)
    except IdentifierError:
        epc = None
    return _public_response(request, epc)


def resolve_platform(request: HttpRequest, code: str) -> HttpResponse:
    """/l/{code}: a lot with a platform identifier."""
    normal = normalise_code(code)
    return _public_response(request, platform_lot_uri(normal) if normal else None)


def public_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    normal = normalise_code(code)
    lot = published_lot(epc=platform_lot_uri(normal)) if normal else None
    if lot is None:
        raise Http404
    return _qr_response(lot, fmt)
