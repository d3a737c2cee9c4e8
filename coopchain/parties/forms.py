from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.errors import CoopChainError
from coopchain.parties import banks
from coopchain.parties.models import AdminUnit, Facility, Member
from coopchain.parties.services import FacilityData, MemberData


class WardField(forms.CharField):
    """A commune/ward code, typed or picked from the searchable list."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 8)
        kwargs.setdefault("label", _("Commune/ward"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "ward-options",
                    "autocomplete": "off",
                    "hx-get": reverse_lazy("parties:ward_options"),
                    "hx-trigger": "input changed delay:250ms",
                    "hx-target": "#ward-options",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value: str) -> str:
        value = super().clean(value)
        # The list shows "code · name"; keep the code whichever way it was entered.
        return value.split("·")[0].strip()


def apply_domain_error(form: forms.Form, error: CoopChainError) -> None:
    """Show a service's refusal on the form, each reason beside its field."""
    placed = False
    for field_error in error.errors:
        name = field_error.field if field_error.field in form.fields else None
        form.add_error(name, field_error.reason)
        placed = True
    if not placed:
        form.add_error(None, str(error))


class MemberForm(forms.Form):
    code = forms.CharField(label=_("Member code"), max_length=30)
    head_of_household = forms.CharField(label=_("Head of household"), max_length=120)
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Member.Gender.choices], required=False
    )
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=40, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    ward_code = WardField(
        help_text=_("Type part of the name (accents optional) and pick it from the list.")
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    household_size = forms.IntegerField(label=_("Household size"), required=False, min_value=1)
    joined_on = forms.DateField(
        label=_("Joined on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    public_consent = forms.BooleanField(
        label=_("Agrees to show name and phone on public trace pages"), required=False
    )
    bank_bin = forms.ChoiceField(label=_("Bank"), required=False, choices=())
    bank_account = forms.CharField(
        label=_("Bank account number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bank_account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=120,
        required=False,
        help_text=_("As the bank writes it; the head of household when left empty."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = [("", "—"), *banks.choices()]
        if editing:
            # The code keys the household in imports; membership dates have their own actions.
            self.fields["code"].disabled = True
            self.fields["joined_on"].disabled = True
            self.fields["joined_on"].required = False

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        membership = member.memberships.order_by("joined_on").first()
        return {
            "code": member.code,
            "head_of_household": member.head_of_household,
            "gender": member.gender,
            "birth_year": member.birth_year,
            "ethnicity": member.ethnicity,
            "phone": member.phone,
            "ward_code": member.ward_id or "",
            "address": member.address,
            "national_id": member.national_id,
            "household_size": member.household_size,
            "joined_on": membership.joined_on if membership else None,
            "public_consent": member.public_consent,
            "bank_bin": member.bank_bin,
            "bank_account": member.bank_account,
            "bank_account_holder": member.bank_account_holder,
        }

    def to_data(self) -> MemberData:
        d = self.cleaned_data
        return MemberData(
            code=d["code"],
            head_of_household=d["head_of_household"],
            joined_on=d.get("joined_on") or timezone.localdate(),
            gender=d.get("gender") or "",
            ethnicity=d.get("ethnicity") or "",
            birth_year=d.get("birth_year"),
            phone=d.get("phone") or "",
            ward_code=d.get("ward_code") or "",
            address=d.get("address") or "",
            national_id=d.get("national_id") or "",
            household_size=d.get("household_size"),
            public_consent=bool(d.get("public_consent")),
            bank_bin=d.get("bank_bin") or "",
            bank_account=d.get("bank_account") or "",
            bank_account_holder=d.get("bank_account_holder") or "",
        )


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Left on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)


class RejoinForm(forms.Form):
    joined_on = forms.DateField(
        label=_("Joined again on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class FacilityForm(forms.Form):
    code = forms.CharField(label=_("Facility code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Facility.Kind.choices)
    ward_code = WardField(
        help_text=_("Type part of the name (accents optional) and pick it from the list.")
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, max_digits=9, decimal_places=6
    )
    packing_house_code = forms.CharField(
        label=_("Packing-house code"), max_length=40, required=False
    )
    gln = forms.CharField(label=_("GS1 GLN"), max_length=13, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["code"].disabled = True

    def to_data(self) -> FacilityData:
        d = self.cleaned_data
        return FacilityData(
            code=d["code"],
            name=d["name"],
            kind=d["kind"],
            ward_code=d.get("ward_code") or "",
            address=d.get("address") or "",
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            packing_house_code=d.get("packing_house_code") or "",
            gln=d.get("gln") or "",
        )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Membership"),
        required=False,
        choices=[("", _("All")), ("active", _("Members now")), ("left", _("Left"))],
    )
    ward = forms.ModelChoiceField(
        label=_("Commune/ward"),
        required=False,
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
    )

    def __init__(self, *args, ward_queryset=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if ward_queryset is not None:
            self.fields["ward"].queryset = ward_queryset
