"""Forms of the collection screen and the bills, short enough for a phone."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.dairy import selectors
from coopchain.dairy.models import Deduction, Delivery, Shift
from coopchain.dairy.services import Reading
from coopchain.parties.models import Facility, Member, Organization


def _number(label: Any, *, places: int = 2, required: bool = False, step: str = "0.1") -> Any:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=9,
        decimal_places=places,
        widget=forms.NumberInput(attrs={"step": step, "inputmode": "decimal"}),
    )


def default_shift() -> str:
    return Shift.MORNING if timezone.localtime().hour < 13 else Shift.EVENING


class DeliveryForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Collection centre"), queryset=Facility.objects.none())
    shift = forms.ChoiceField(label=_("Shift"), choices=Shift.choices, widget=forms.RadioSelect)
    member = forms.CharField(
        label=_("Member (code or name)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "member-options"}),
    )
    quantity = _number(_("Quantity"), required=True)
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Delivery.Unit.choices, widget=forms.RadioSelect, initial="KGM"
    )
    fat = _number(_("Fat %"))
    snf = _number(_("SNF %"))
    density = _number(_("Density, g/ml"), places=4, step="0.001")
    temperature = _number(_("Temperature, °C"), places=1)
    antibiotic = forms.ChoiceField(
        label=_("Antibiotic test"),
        choices=Delivery.Antibiotic.choices,
        widget=forms.RadioSelect,
        initial=Delivery.Antibiotic.NEGATIVE,
    )
    rejection_reason = forms.CharField(label=_("Reject, because…"), required=False, max_length=255)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        centres = Facility.objects.filter(
            organization=organization, kind=Facility.Kind.COLLECTION_CENTRE, is_active=True
        )
        self.fields["centre"].queryset = centres
        # A collector works at one centre: it is chosen already, never left blank.
        self.fields["centre"].empty_label = None
        self.candidates: list[Member] = []

    def clean_member(self) -> Member:
        text = self.cleaned_data["member"]
        found = selectors.members_matching(self.organization, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("No member matches “%(text)s”."), params={"text": text})
        self.candidates = found
        raise forms.ValidationError(_("Several members match: choose one."))

    def reading(self) -> Reading:
        data = self.cleaned_data
        return Reading(
            quantity=data["quantity"],
            unit=data["unit"],
            fat=data.get("fat"),
            snf=data.get("snf"),
            density=data.get("density"),
            temperature=data.get("temperature"),
            antibiotic=data["antibiotic"],
            rejection_reason=data.get("rejection_reason") or "",
        )


class CorrectionForm(forms.Form):
    quantity = _number(_("Quantity"), required=True)
    unit = forms.ChoiceField(
        label=_("Unit"), choices=Delivery.Unit.choices, widget=forms.RadioSelect
    )
    fat = _number(_("Fat %"))
    snf = _number(_("SNF %"))
    density = _number(_("Density, g/ml"), places=4, step="0.001")
    temperature = _number(_("Temperature, °C"), places=1)
    antibiotic = forms.ChoiceField(
        label=_("Antibiotic test"), choices=Delivery.Antibiotic.choices, widget=forms.RadioSelect
    )
    rejection_reason = forms.CharField(label=_("Reject, because…"), required=False, max_length=255)
    reason = forms.CharField(label=_("What was wrong"), max_length=255)

    reading = DeliveryForm.reading

    @staticmethod
    def initial_for(delivery: Delivery) -> dict[str, Any]:
        return {
            "quantity": delivery.entered_quantity,
            "unit": delivery.entered_unit,
            "fat": delivery.fat,
            "snf": delivery.snf,
            "density": delivery.density,
            "temperature": delivery.temperature,
            "antibiotic": delivery.antibiotic,
            "rejection_reason": delivery.rejection_reason,
        }


def half_month(today: date) -> tuple[date, date]:
    """The last complete half-month before `today`: the 1st–15th or the 16th–end."""
    if today.day > 15:
        return today.replace(day=1), today.replace(day=15)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return last_month_end.replace(day=16), last_month_end


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))


class ShipForm(forms.Form):
    processor = forms.ModelChoiceField(label=_("Processor"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processor"].queryset = Organization.objects.filter(
            kind=Organization.Kind.ENTERPRISE
        ).exclude(status=Organization.Status.DISSOLVED)


def decimal_or_none(value: Any) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def _cells(line: str) -> list[str]:
    """A line's cells, split by spaces, tabs or semicolons (as pasted from a spreadsheet);
    a decimal comma is read as a point."""
    return [c.replace(",", ".") for c in line.replace(";", " ").split()]


def _grade_lines(text: str, kinds: tuple[type, type]) -> list[tuple[Any, Any]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = _cells(line)
        try:
            if len(cells) != 2:
                raise ValueError
            rows.append((kinds[0](cells[0]), kinds[1](cells[1])))
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(
                _("Line %(number)s: two numbers, the threshold and VND/kg (“%(line)s”)."),
                params={"number": number, "line": line.strip()},
            ) from None
    return rows


def parse_grid(text: str) -> list[tuple[Decimal, Decimal, int]]:
    """A fat × SNF grid: the first line the SNF % of each column, then a line per fat % with
    the price of each column."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    try:
        snf = [Decimal(c) for c in _cells(lines[0])]
    except ArithmeticError:
        raise forms.ValidationError(
            _("Line 1: the SNF %% of each column (“%(line)s”)."), params={"line": lines[0]}
        ) from None
    cells = []
    for number, line in enumerate(lines[1:], start=2):
        row = _cells(line)
        try:
            if len(row) != len(snf) + 1:
                raise ValueError
            fat = Decimal(row[0])
            cells += [(fat, s, int(price)) for s, price in zip(snf, row[1:], strict=True)]
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(
                _("Line %(number)s: the fat %% then %(count)s prices (“%(line)s”)."),
                params={"number": number, "count": len(snf), "line": line.strip()},
            ) from None
    return cells


def grid_text(cells: list[tuple[Decimal, Decimal, int]]) -> str:
    snf = sorted({c[1] for c in cells})
    prices = {(c[0], c[1]): c[2] for c in cells}
    lines = [" ".join(str(s) for s in snf)]
    for fat in sorted({c[0] for c in cells}):
        lines.append(" ".join([str(fat), *(str(prices.get((fat, s), 0)) for s in snf)]))
    return "\n".join(lines) if cells else ""


_TEXTAREA = forms.Textarea(attrs={"rows": 5, "spellcheck": "false"})


class RateChartForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    processor = forms.ModelChoiceField(
        label=_("Processor"), queryset=Organization.objects.none(), required=False
    )
    centre = forms.ModelChoiceField(
        label=_("Collection centre (none: every centre)"),
        queryset=Facility.objects.none(),
        required=False,
    )
    base_price = forms.IntegerField(label=_("Base price, VND/kg"), min_value=0)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    solids_grades = forms.CharField(
        label=_("Total solids grades"),
        required=False,
        widget=_TEXTAREA,
        help_text=_(
            "A line each: the total solids percentage it starts at, then VND/kg added"
            " (negative: taken off)."
        ),
    )
    bacteria_grades = forms.CharField(
        label=_("Bacteria penalties"),
        required=False,
        widget=_TEXTAREA,
        help_text=_("A line each: bacteria per ml above which, VND/kg taken off."),
    )
    grid = forms.CharField(
        label=_("Fat × SNF grid"),
        required=False,
        widget=_TEXTAREA,
        help_text=_(
            "First line: the SNF percentage of each column. Then a line per fat percentage:"
            " the fat percentage and the price of each column, VND/kg. Replaces the base price"
            " and grades when given."
        ),
    )
    source = forms.CharField(label=_("Source"), max_length=255, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["processor"].queryset = Organization.objects.filter(
            kind=Organization.Kind.ENTERPRISE
        ).exclude(status=Organization.Status.DISSOLVED)
        self.fields["centre"].queryset = Facility.objects.filter(
            organization=organization, kind=Facility.Kind.COLLECTION_CENTRE
        )

    def clean_solids_grades(self) -> list[tuple[Decimal, int]]:
        return _grade_lines(self.cleaned_data["solids_grades"], (Decimal, int))

    def clean_bacteria_grades(self) -> list[tuple[int, int]]:
        return _grade_lines(self.cleaned_data["bacteria_grades"], (int, int))

    def clean_grid(self) -> list[tuple[Decimal, Decimal, int]]:
        return parse_grid(self.cleaned_data["grid"])

    def data_for_service(self) -> Any:
        from coopchain.dairy.services import ChartData

        data = self.cleaned_data
        return ChartData(
            name=data["name"],
            base_price=data["base_price"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            processor=data.get("processor"),
            centre=data.get("centre"),
            solids_grades=data["solids_grades"],
            bacteria_grades=data["bacteria_grades"],
            grid=data["grid"],
            source=data.get("source") or "",
        )

    @staticmethod
    def initial_for(chart: Any) -> dict[str, Any]:
        return {
            "name": chart.name,
            "processor": chart.processor_id,
            "centre": chart.centre_id,
            "base_price": chart.base_price,
            "valid_from": chart.valid_from,
            "valid_to": chart.valid_to,
            "solids_grades": "\n".join(
                f"{g.min_total_solids} {g.adjustment}" for g in chart.solids_grades.all()
            ),
            "bacteria_grades": "\n".join(
                f"{g.above_count} {g.penalty}" for g in chart.bacteria_grades.all()
            ),
            "grid": grid_text([(c.min_fat, c.min_snf, c.price) for c in chart.grid.all()]),
            "source": chart.source,
        }


class LabTestForm(forms.Form):
    sampled_on = forms.DateField(
        label=_("Sampled on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    plate_count = forms.IntegerField(label=_("Total bacterial count /ml"), required=False)
    somatic_cells = forms.IntegerField(label=_("Somatic cells /ml"), required=False)
    freezing_point = _number(_("Freezing point, °C"), places=3, step="0.001")
    protein = _number(_("Protein %"))
    aflatoxin_m1 = _number(_("Aflatoxin M1, µg/kg"), places=3, step="0.001")
    acidity = _number(_("Acidity, °T"), places=1)
    laboratory = forms.CharField(label=_("Laboratory"), max_length=200, required=False)


class DeductionForm(forms.Form):
    member = forms.CharField(
        label=_("Member (code or name)"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Deduction.Kind.choices)
    amount = forms.IntegerField(label=_("Amount, VND"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_member(self) -> Member:
        text = self.cleaned_data["member"]
        found = selectors.members_matching(self.organization, text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("No member matches “%(text)s”."), params={"text": text})
        raise forms.ValidationError(
            _("Several members match: %(codes)s."),
            params={"codes": ", ".join(m.code for m in found)},
        )
