"""Forms of the collection screen and the bills, short enough for a phone."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.dairy import selectors
from coopchain.dairy.models import Delivery, Shift
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
