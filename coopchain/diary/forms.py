"""Forms of the diary pages: short, one per kind of entry, for a thumb on a small phone."""

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.diary.models import Activity, InputProduct
from coopchain.diary.services import ActivityData, InputProductData, LineData
from coopchain.diary.units import DOSE_UNITS, HARVEST_UNITS, INPUT_UNITS, unit_choices
from coopchain.land.models import Crop, Plot

# Product kinds offered for each kind of entry; the rest of the list is a tap further.
PRODUCT_KINDS = {
    Activity.Kind.SPRAYING: (
        InputProduct.Kind.PESTICIDE,
        InputProduct.Kind.FUNGICIDE,
        InputProduct.Kind.HERBICIDE,
        InputProduct.Kind.OTHER,
    ),
    Activity.Kind.FERTILIZING: (InputProduct.Kind.FERTILIZER, InputProduct.Kind.OTHER),
    Activity.Kind.PLANTING: (InputProduct.Kind.FERTILIZER, InputProduct.Kind.OTHER),
    Activity.Kind.OTHER: tuple(InputProduct.Kind.values),
}
# How many products one entry can name on the form (a tank mix rarely has more).
LINES = 3
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}


def plot_label(plot: Plot, *, with_household: bool) -> str:
    crops = ", ".join(c.crop.label for c in plot.crops.all() if c.ended_year is None)
    label = f"{plot.code} {plot.name}".strip()
    if crops:
        label += f" · {crops}"
    if with_household:
        label += f" · {plot.member.head_of_household}"
    return label


def product_label(product: InputProduct) -> str:
    if product.banned:
        return f"{product.name} ⚠ " + str(_("banned"))
    return product.name


class EntryForm(forms.Form):
    """One diary entry of one kind. Product lines, crop and harvest fields appear only for the
    kinds that need them."""

    plot = forms.TypedChoiceField(label=_("Plot"), coerce=int)
    performed_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    crop = forms.ChoiceField(label=_("Crop"), required=False)
    harvest_quantity = forms.DecimalField(
        label=_("Quantity harvested"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "any"}),
    )
    harvest_unit = forms.ChoiceField(
        label=_("Unit"), choices=unit_choices(HARVEST_UNITS), initial="KGM", required=False
    )
    area_treated_ha = forms.DecimalField(
        label=_("Area treated (ha)"),
        required=False,
        min_value=Decimal("0.0001"),
        max_digits=12,
        decimal_places=4,
        help_text=_("Leave empty when the whole plot was treated."),
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "any"}),
    )
    worker_name = forms.CharField(
        label=_("Done by (if not the household)"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(
        self,
        *args: Any,
        kind: str,
        plots: list[Plot],
        products: list[InputProduct],
        with_household: bool,
        correcting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.products = {p.pk: p for p in products}
        self.fields["plot"].choices = [
            (p.pk, plot_label(p, with_household=with_household)) for p in plots
        ]
        if len(plots) == 1:
            self.fields["plot"].initial = plots[0].pk
        if len(plots) <= 6:
            self.fields["plot"].widget = forms.RadioSelect(attrs={"class": "choice-list"})
            self.fields["plot"].choices = self.fields["plot"].choices
        self._set_crops(plots)
        if kind in PRODUCT_KINDS:
            self._add_lines(products)
        if kind == Activity.Kind.HARVEST:
            self.fields["crop"].required = True
            self.fields["harvest_quantity"].required = True
            self.fields["harvest_unit"].required = True
            del self.fields["area_treated_ha"]
        else:
            del self.fields["harvest_quantity"]
            del self.fields["harvest_unit"]
        if kind not in (Activity.Kind.SPRAYING, Activity.Kind.FERTILIZING, Activity.Kind.OTHER):
            self.fields.pop("area_treated_ha", None)
        if correcting:
            self.fields["reason"] = forms.CharField(
                label=_("What was wrong"), max_length=255, help_text=_("Kept with the history.")
            )

    def _set_crops(self, plots: list[Plot]) -> None:
        grown: dict[int, Crop] = {}
        for plot in plots:
            for planting in plot.crops.all():
                if planting.ended_year is None:
                    grown.setdefault(planting.crop_id, planting.crop)
        crops = list(grown.values()) or list(Crop.objects.all())
        label = _("Crop (if not every crop of the plot)")
        if self.kind == Activity.Kind.HARVEST:
            label = _("Crop harvested")
        self.fields["crop"].label = label
        empty = [] if self.kind == Activity.Kind.HARVEST and len(crops) == 1 else [("", "—")]
        self.fields["crop"].choices = empty + [(c.code, c.label) for c in crops]
        if self.kind == Activity.Kind.HARVEST and len(crops) == 1:
            self.fields["crop"].initial = crops[0].code

    def _add_lines(self, products: list[InputProduct]) -> None:
        choices = [("", "—")] + [(p.pk, product_label(p)) for p in products]
        for index in range(1, LINES + 1):
            first = index == 1
            self.fields[f"product_{index}"] = forms.TypedChoiceField(
                label=_("Product") if first else _("Another product"),
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.Select(attrs={"data-dose-units": "1"}),
            )
            self.fields[f"quantity_{index}"] = forms.DecimalField(
                label=_("Quantity"),
                required=False,
                min_value=Decimal("0.001"),
                max_digits=12,
                decimal_places=3,
                widget=forms.NumberInput(attrs={**DECIMAL, "step": "any"}),
            )
            self.fields[f"unit_{index}"] = forms.ChoiceField(
                label=_("Unit"),
                choices=unit_choices(INPUT_UNITS),
                initial="LTR" if self.kind == Activity.Kind.SPRAYING else "KGM",
            )

    def line_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"product_{i}"], self[f"quantity_{i}"], self[f"unit_{i}"])
            for i in range(1, LINES + 1)
            if f"product_{i}" in self.fields
        ]

    def product_units(self) -> dict[int, str]:
        """Each product's dose unit, so the page can preselect the unit it is measured in."""
        return {pk: p.dose_unit for pk, p in self.products.items() if p.dose_unit}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for index in range(1, LINES + 1):
            product = cleaned.get(f"product_{index}")
            quantity = cleaned.get(f"quantity_{index}")
            if product and quantity is None:
                self.add_error(f"quantity_{index}", _("Give the quantity used."))
            if quantity is not None and not product:
                self.add_error(f"product_{index}", _("Choose the product."))
        return cleaned

    def to_data(self) -> ActivityData:
        d = self.cleaned_data
        lines = tuple(
            LineData(d[f"product_{i}"], d[f"quantity_{i}"], d[f"unit_{i}"])
            for i in range(1, LINES + 1)
            if d.get(f"product_{i}")
        )
        return ActivityData(
            kind=self.kind,
            performed_on=d["performed_on"],
            plot_ids=(d["plot"],),
            lines=lines,
            crop_code=d.get("crop") or "",
            worker_name=d.get("worker_name") or "",
            area_treated_ha=d.get("area_treated_ha"),
            notes=d.get("notes") or "",
            harvest_quantity=d.get("harvest_quantity"),
            harvest_unit=d.get("harvest_unit") or "",
            submission_id=d.get("submission_id"),
        )

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "plot": next(iter(activity.plot_links.values_list("plot_id", flat=True)), None),
            "performed_on": activity.performed_on,
            "crop": activity.crop.code if activity.crop_id else "",
            "harvest_quantity": activity.harvest_quantity,
            "harvest_unit": activity.harvest_unit or "KGM",
            "area_treated_ha": activity.area_treated_ha,
            "worker_name": activity.worker_name,
            "notes": activity.notes,
        }
        for index, line in enumerate(activity.lines.all()[:LINES], start=1):
            initial.update(
                {
                    f"product_{index}": line.product_id,
                    f"quantity_{index}": line.quantity,
                    f"unit_{index}": line.unit,
                }
            )
        return initial


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is this entry withdrawn?"), max_length=255)


class InputProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InputProduct.Kind.choices)
    active_ingredients = forms.CharField(
        label=_("Active ingredient(s)"), max_length=255, required=False
    )
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=60, required=False
    )
    max_dose_per_ha = forms.DecimalField(
        label=_("Maximum dose per hectare"),
        required=False,
        min_value=Decimal("0.001"),
        max_digits=10,
        decimal_places=3,
        widget=forms.NumberInput(attrs={**DECIMAL, "step": "any"}),
    )
    dose_unit = forms.ChoiceField(
        label=_("Unit of the maximum dose"),
        choices=[("", "—"), *unit_choices(DOSE_UNITS)],
        required=False,
    )
    banned = forms.BooleanField(label=_("Banned in Viet Nam"), required=False)
    banned_reason = forms.CharField(
        label=_("Why banned (legal basis)"), max_length=255, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crops = list(Crop.objects.all())
        for crop in self.crops:
            self.fields[f"phi_{crop.code}"] = forms.IntegerField(
                label=crop.label,
                required=False,
                min_value=0,
                max_value=365,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def phi_fields(self) -> list[Any]:
        return [self[f"phi_{crop.code}"] for crop in self.crops]

    def to_data(self) -> InputProductData:
        d = self.cleaned_data
        return InputProductData(
            name=d["name"],
            kind=d["kind"],
            active_ingredients=d.get("active_ingredients") or "",
            registration_number=d.get("registration_number") or "",
            banned=bool(d.get("banned")),
            banned_reason=d.get("banned_reason") or "",
            max_dose_per_ha=d.get("max_dose_per_ha"),
            dose_unit=d.get("dose_unit") or "",
            phi_days={
                crop.code: d[f"phi_{crop.code}"]
                for crop in self.crops
                if d.get(f"phi_{crop.code}") is not None
            },
            notes=d.get("notes") or "",
        )


class FindingFilterForm(forms.Form):
    code = forms.ChoiceField(label=_("Kind of finding"), required=False)
    household = forms.TypedChoiceField(
        label=_("Household"), required=False, coerce=int, empty_value=None
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, households: list[Any], codes: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", _("All")), *codes]
        self.fields["household"].choices = [("", _("All")), *((m.pk, str(m)) for m in households)]
