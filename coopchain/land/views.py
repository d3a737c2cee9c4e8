import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopchain.errors import CoopChainError
from coopchain.land import selectors, services
from coopchain.land.findings import shown
from coopchain.land.forms import (
    EndCropForm,
    PlotCropForm,
    PlotFilterForm,
    PlotForm,
    ZoneForm,
    ZonePlotsForm,
    apply_plot_error,
)
from coopchain.land.models import Plot, PlotCrop, RawMaterialZone
from coopchain.parties.forms import apply_domain_error
from coopchain.parties.models import AdminUnit
from coopchain.parties.tenancy import get_scoped, grants_for, require_write
from coopchain.parties.web import (
    current_organization,
    import_page,
    paginate,
    query_without_page,
)

# The diary app shows a plot's diary on the plot page through this template when it has one.
DIARY_PANEL = "diary/_plot_diary.html"


def _can_write(request: HttpRequest, organization_id: int) -> bool:
    return organization_id in grants_for(request.user).write_org_ids


def _form_problems(form: PlotCropForm) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _map_settings() -> dict[str, str]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", "") or "",
    }


@login_required
def plot_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    wards = AdminUnit.objects.filter(code__in=organization.plots.values("ward_id"))
    filters = PlotFilterForm(request.GET or None, ward_queryset=wards)
    filters.is_valid()
    cleaned = getattr(filters, "cleaned_data", {})
    plots = selectors.plot_list(
        request.user,
        organization=organization,
        q=cleaned.get("q", ""),
        crop_code=cleaned["crop"].code if cleaned.get("crop") else "",
        ward_code=cleaned["ward"].code if cleaned.get("ward") else "",
        status=cleaned.get("status", ""),
    )
    return render(
        request,
        "land/plot_list.html",
        {
            "organization": organization,
            "filters": filters,
            "page": paginate(request, plots),
            "query": query_without_page(request),
            "can_write": _can_write(request, organization.pk),
        },
    )


@login_required
def plot_detail(request: HttpRequest, plot_id: int) -> HttpResponse:
    plot = get_scoped(
        Plot.objects.select_related("member", "ward__province", "organization"),
        request.user,
        pk=plot_id,
    )
    context = {
        "plot": plot,
        "crops": plot.crops.select_related("crop").order_by("ended_year", "crop__sort_order"),
        "findings": shown(plot.geometry_findings),
        "history": plot.geometry_history.select_related("replaced_by"),
        "zones": plot.zones.select_related("enterprise"),
        "geometry_json": json.dumps(plot.geometry),
        "can_write": _can_write(request, plot.organization_id),
        "crop_form": PlotCropForm(),
        "end_form": EndCropForm(),
        **_map_settings(),
    }
    try:
        get_template(DIARY_PANEL)
        context["diary_panel"] = DIARY_PANEL
    except TemplateDoesNotExist:
        pass
    return render(request, "land/plot_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plot_create(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    require_write(request.user, organization)
    form = PlotForm(request.POST or None, request.FILES or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            plot = services.create_plot(
                organization=organization, data=form.to_data(), by=request.user
            )
        except CoopChainError as error:
            apply_plot_error(form, error)
        else:
            messages.success(request, _("Plot %(code)s added.") % {"code": plot.code})
            return redirect("land:plot_detail", plot_id=plot.pk)
    return render(
        request,
        "land/plot_form.html",
        {"form": form, "organization": organization, **_map_settings()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plot_edit(request: HttpRequest, plot_id: int) -> HttpResponse:
    plot = get_scoped(Plot.objects.select_related("member"), request.user, pk=plot_id)
    require_write(request.user, plot.organization)
    form = PlotForm(
        request.POST or None,
        request.FILES or None,
        organization=plot.organization,
        initial=PlotForm.initial_for(plot),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plot(
                plot=plot,
                data=form.to_data(),
                by=request.user,
                note=form.cleaned_data.get("note") or "",
            )
        except CoopChainError as error:
            apply_plot_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("land:plot_detail", plot_id=plot.pk)
    return render(
        request,
        "land/plot_form.html",
        {"form": form, "plot": plot, "organization": plot.organization, **_map_settings()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def crop_add(request: HttpRequest, plot_id: int) -> HttpResponse:
    plot = get_scoped(Plot.objects.all(), request.user, pk=plot_id)
    form = PlotCropForm(request.POST)
    if form.is_valid():
        try:
            services.add_crop(plot=plot, by=request.user, **form.cleaned_data)
        except CoopChainError as error:
            apply_domain_error(form, error)
    if form.errors:
        messages.error(request, _form_problems(form))
    else:
        messages.success(request, _("Crop added."))
    return redirect("land:plot_detail", plot_id=plot.pk)


@login_required
@require_POST
def crop_end(request: HttpRequest, plot_id: int, plot_crop_id: int) -> HttpResponse:
    plot_crop = get_scoped(
        PlotCrop.objects.select_related("plot__organization"),
        request.user,
        pk=plot_crop_id,
        plot_id=plot_id,
    )
    form = EndCropForm(request.POST)
    if form.is_valid():
        services.end_crop(
            plot_crop=plot_crop, ended_year=form.cleaned_data["ended_year"], by=request.user
        )
        messages.success(request, _("Recorded: the crop is no longer grown."))
    else:
        messages.error(request, _("Give the year the crop stopped."))
    return redirect("land:plot_detail", plot_id=plot_id)


@login_required
@require_http_methods(["GET", "POST"])
def plot_import(request: HttpRequest) -> HttpResponse:
    """The upload form, and after an upload the report: what was (or would be) written, or
    every problem in the file, plot by plot."""
    organization = current_organization(request)
    require_write(request.user, organization)
    return import_page(
        request,
        "land/plot_import.html",
        {"organization": organization},
        run_import=partial(services.import_plots, organization=organization),
        choose_file=_("Choose a GeoJSON, KML, Excel or CSV file to import."),
    )


@login_required
@require_GET
def plot_export(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    plots = selectors.plot_list(request.user, organization=organization).prefetch_related(
        "crops__crop"
    )
    response = HttpResponse(
        services.export_plots_geojson_text(plots=plots), content_type="application/geo+json"
    )
    stem = slugify(organization.short_name or organization.name) or "plots"
    filename = f"lo-dat-{stem}-{timezone.localdate():%Y%m%d}.geojson"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plot_map(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    return render(
        request,
        "land/plot_map.html",
        {
            "organization": organization,
            "legend": selectors.crops_in_use(organization),
            "no_crop_colour": selectors.NO_CROP_COLOUR,
            **_map_settings(),
        },
    )


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    organization = current_organization(request)
    plots = selectors.plot_list(
        request.user,
        organization=organization,
        crop_code=request.GET.get("crop", ""),
        member_id=int(request.GET["member"]) if request.GET.get("member", "").isdigit() else None,
    )
    return JsonResponse(
        selectors.map_features(plots.filter(status=Plot.Status.ACTIVE)),
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def zone_list(request: HttpRequest) -> HttpResponse:
    organization = current_organization(request)
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            zone = services.create_zone(
                organization=organization, by=request.user, **form.cleaned_data
            )
        except CoopChainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Zone %(name)s created.") % {"name": zone.name})
            return redirect("land:zone_detail", zone_id=zone.pk)
    return render(
        request,
        "land/zone_list.html",
        {
            "organization": organization,
            "zones": selectors.zone_list(request.user, organization=organization),
            "form": form,
            "can_write": _can_write(request, organization.pk),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def zone_detail(request: HttpRequest, zone_id: int) -> HttpResponse:
    zone = get_scoped(
        RawMaterialZone.objects.select_related("organization", "enterprise", "crop"),
        request.user,
        pk=zone_id,
    )
    can_write = _can_write(request, zone.organization_id)
    candidates = selectors.plot_list(request.user, organization=zone.organization)
    form = ZonePlotsForm(
        request.POST or None,
        plots=candidates,
        initial={"plots": list(zone.plots.values_list("pk", flat=True))},
    )
    if request.method == "POST":
        require_write(request.user, zone.organization)
        if form.is_valid():
            services.set_zone_plots(zone=zone, plots=form.cleaned_data["plots"], by=request.user)
            messages.success(request, _("Changes saved."))
            return redirect("land:zone_detail", zone_id=zone.pk)
    plots = list(selectors.plot_list(request.user).filter(zones=zone))
    return render(
        request,
        "land/zone_detail.html",
        {
            "zone": zone,
            "plots": plots,
            "total_ha": sum((p.area_ha for p in plots), start=0),
            "form": form if can_write else None,
        },
    )
