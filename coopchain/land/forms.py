import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.errors import CoopChainError
from coopchain.land import readers
from coopchain.land.models import Crop, Plot
from coopchain.land.services import PlotData
from coopchain.parties.forms import WardField
from coopchain.parties.models import AdminUnit, Member, Organization


def apply_plot_error(form: forms.Form, error: CoopChainError) -> None:
    """Show a service's refusal on the form: geometry reasons beside the geometry, with the
    position they point at ("coordinates[0][3]: …"), others beside their field."""
    placed = False
    for field_error in error.errors:
        name, _dot, path = field_error.field.partition(".")
        if name == "geometry" and "geometry" in form.fields:
            form.add_error(
                "geometry", f"{path}: {field_error.reason}" if path else field_error.reason
            )
        elif name in form.fields:
            form.add_error(name, field_error.reason)
        elif name == "member_code" and "member" in form.fields:
            form.add_error("member", field_error.reason)
        else:
            form.add_error(None, f"{field_error.field}: {field_error.reason}")
        placed = True
    if not placed:
        form.add_error(None, str(error))


class PlotForm(forms.Form):
    code = forms.CharField(label=_("Plot code"), max_length=40)
    member = forms.ModelChoiceField(
        label=_("Member household"), queryset=Member.objects.none(), to_field_name="code"
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    ward_code = WardField(help_text=_("Empty: the household's commune/ward."))
    geometry = forms.CharField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "geojson"}),
        help_text=_(
            "A Polygon, or a Point for a plot of 4 ha or less, as [longitude, latitude] with "
            "6 decimals. Draw it on the map, paste it, or upload a file below."
        ),
    )
    geometry_file = forms.FileField(
        label=_("…or a file with this one plot (GeoJSON, KML)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,.kmz"}),
    )
    declared_area_ha = forms.DecimalField(
        label=_("Declared area (ha)"),
        required=False,
        min_value=Decimal("0.0001"),
        max_digits=12,
        decimal_places=4,
        help_text=_("As on the land-use certificate. Required for a point."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.0001"}),
    )
    planting_area_code = forms.CharField(
        label=_("Planting-area code (mã số vùng trồng)"), max_length=40, required=False
    )
    land_certificate_ref = forms.CharField(
        label=_("Land-use certificate (sổ đỏ) number"), max_length=60, required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=Plot.Status.choices)
    note = forms.CharField(
        label=_("Why the boundary changed"),
        max_length=255,
        required=False,
        help_text=_("Kept with the old boundary in the plot's history."),
    )

    def __init__(
        self, *args: Any, organization: Organization, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(organization=organization)
        if editing:
            self.fields["code"].disabled = True
        else:
            del self.fields["note"]
            del self.fields["status"]

    @classmethod
    def initial_for(cls, plot: Plot) -> dict[str, Any]:
        return {
            "code": plot.code,
            "member": plot.member.code,
            "name": plot.name,
            "ward_code": plot.ward_id or "",
            "geometry": json.dumps(plot.geometry),
            "declared_area_ha": plot.declared_area_ha,
            "planting_area_code": plot.planting_area_code,
            "land_certificate_ref": plot.land_certificate_ref,
            "status": plot.status,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("geometry_file")
        if upload:
            cleaned["geometry"] = self._geometry_from_file(upload)
        elif not (cleaned.get("geometry") or "").strip():
            self.add_error("geometry", _("Draw the plot, paste its GeoJSON, or upload a file."))
        return cleaned

    def _geometry_from_file(self, upload: Any) -> Any:
        try:
            plot_file = readers.read_plot_file(upload.read(readers.MAX_BYTES + 1), upload.name)
        except readers.FileRefused as refused:
            self.add_error("geometry_file", refused.reason)
            return None
        if len(plot_file.entries) != 1:
            self.add_error(
                "geometry_file",
                _("The file holds %(count)d plots: import it from the plots list instead.")
                % {"count": len(plot_file.entries)},
            )
            return None
        return plot_file.entries[0].geometry

    def to_data(self) -> PlotData:
        d = self.cleaned_data
        # Text is parsed by the geometry check itself, keeping the decimals as typed.
        geometry = d.get("geometry")
        return PlotData(
            code=d["code"],
            member_code=d["member"].code,
            geometry=geometry,
            name=d.get("name") or "",
            ward_code=d.get("ward_code") or "",
            declared_area_ha=d.get("declared_area_ha"),
            planting_area_code=d.get("planting_area_code") or "",
            land_certificate_ref=d.get("land_certificate_ref") or "",
            status=d.get("status") or Plot.Status.ACTIVE,
        )


class PlotCropForm(forms.Form):
    crop = forms.ModelChoiceField(label=_("Crop"), queryset=Crop.objects.all())
    variety = forms.CharField(label=_("Variety"), max_length=80, required=False)
    planting_year = forms.IntegerField(
        label=_("Planting year"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    tree_count = forms.IntegerField(
        label=_("Number of trees (perennials)"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    area_share_pct = forms.DecimalField(
        label=_("Share of the plot (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )


class EndCropForm(forms.Form):
    ended_year = forms.IntegerField(
        label=_("No longer grown since (year)"),
        initial=lambda: timezone.localdate().year,
        min_value=1900,
    )


class PlotFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    crop = forms.ModelChoiceField(
        label=_("Crop"), required=False, queryset=Crop.objects.all(), to_field_name="code"
    )
    ward = forms.ModelChoiceField(
        label=_("Commune/ward"),
        required=False,
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *Plot.Status.choices]
    )

    def __init__(self, *args: Any, ward_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ward_queryset is not None:
            self.fields["ward"].queryset = ward_queryset


class ZoneForm(forms.Form):
    code = forms.CharField(label=_("Zone code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise supplied"),
        required=False,
        queryset=Organization.objects.filter(
            kind=Organization.Kind.ENTERPRISE, status=Organization.Status.ACTIVE
        ),
    )
    crop = forms.ModelChoiceField(label=_("Crop"), required=False, queryset=Crop.objects.all())
    planting_area_code = forms.CharField(
        label=_("Planting-area code (mã số vùng trồng)"), max_length=40, required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ZonePlotsForm(forms.Form):
    plots = forms.ModelMultipleChoiceField(
        label=_("Plots in the zone"),
        required=False,
        queryset=Plot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, plots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plots"].queryset = plots
