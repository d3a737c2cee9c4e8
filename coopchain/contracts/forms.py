from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.contracts.models import LinkageContract
from coopchain.parties.models import AdminUnit, Organization
from coopchain.trace.models import Lot


class DeliveryForm(forms.Form):
    lot = forms.ModelChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    quantity_kg = forms.DecimalField(
        label=_("Quantity, kg"), min_value=0, max_digits=12, decimal_places=2
    )
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    grade = forms.ModelChoiceField(label=_("Quality grade"), queryset=None, required=False)
    measured_quality = forms.DecimalField(
        label=_("Measured quality"),
        max_digits=9,
        decimal_places=3,
        required=False,
        help_text=_("With a measurement and no grade chosen, the grade is found from it."),
    )

    def __init__(self, *args, contract: LinkageContract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if contract.quality_measure:
            self.fields["measured_quality"].label = _("Measured quality: %(measure)s") % {
                "measure": contract.quality_measure
            }
        self.fields["lot"].queryset = (
            Lot.objects.filter(organization=contract.seller, contract_delivery__isnull=True)
            .exclude(quantity__isnull=True)
            .order_by("-created_at")
        )
        self.fields["lot"].label_from_instance = lambda lot: (
            f"{lot.lot_number or lot.epc} · {lot.quantity} {lot.unit}"
        )
        self.fields["grade"].queryset = contract.grades.all()
        self.fields["delivered_on"].initial = timezone.localdate()


class MarketPriceForm(forms.Form):
    commodity = forms.CharField(label=_("Commodity"), max_length=120)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE)
    )
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    price = forms.IntegerField(label=_("Price, VND/kg"), min_value=1)
    source = forms.CharField(label=_("Source"), max_length=200)


class EndForm(forms.Form):
    completed = forms.BooleanField(label=_("Completed as agreed"), required=False)
    reason = forms.CharField(label=_("Reason for terminating"), max_length=400, required=False)


class PaymentRunForm(forms.Form):
    period_start = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    recovery_limit_percent = forms.IntegerField(
        label=_("At most this percentage of what is due is kept back for debts"),
        min_value=0,
        max_value=100,
        initial=50,
    )


class ContractForm(forms.Form):
    """A draft contract's terms, from the side of the organization the user works for."""

    our_side = forms.ChoiceField(
        label=_("We are the"),
        choices=[("seller", _("Seller")), ("buyer", _("Buyer"))],
    )
    counterparty = forms.ModelChoiceField(label=_("The other party"), queryset=None, required=False)
    from_members = forms.BooleanField(
        label=_("Our cooperative buys its own members' output (no other party)"), required=False
    )
    number = forms.CharField(label=_("Contract number"), max_length=40)
    commodity = forms.CharField(label=_("Commodity"), max_length=120)
    season = forms.CharField(label=_("Season or period"), max_length=80, required=False)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    quantity_kg = forms.DecimalField(
        label=_("Contracted quantity, kg"), min_value=0, max_digits=12, decimal_places=2
    )
    price_kind = forms.ChoiceField(
        label=_("Price"), choices=LinkageContract.PriceKind.choices, widget=forms.RadioSelect
    )
    fixed_price = forms.IntegerField(label=_("Fixed price, VND/kg"), min_value=1, required=False)
    market_province = forms.ModelChoiceField(
        label=_("Market of the province"),
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE),
        required=False,
    )
    market_percent = forms.DecimalField(
        label=_("Percentage over (+) or under (−) the market price"),
        max_digits=5,
        decimal_places=2,
        initial=0,
        required=False,
    )
    floor_price = forms.IntegerField(
        label=_("Floor price, VND/kg"),
        min_value=1,
        required=False,
        help_text=_("The farmer is never paid less than this."),
    )
    ceiling_price = forms.IntegerField(
        label=_("Ceiling price, VND/kg"), min_value=1, required=False
    )
    quality_measure = forms.CharField(
        label=_("Quality is measured as"),
        max_length=80,
        required=False,
        help_text=_("For example: moisture, %. Each grade can name the range it covers."),
    )
    recovery_percent = forms.DecimalField(
        label=_("Percentage of each delivery kept back to repay the buyer's inputs and advances"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=0,
        required=False,
    )

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Enterprises are listed to everyone; a cooperative's name is listed only to the
        # enterprises looking for a seller, not to other cooperatives.
        kinds = [Organization.Kind.ENTERPRISE]
        if not organization.is_cooperative:
            kinds += [Organization.Kind.COOPERATIVE, Organization.Kind.COOPERATIVE_GROUP]
        self.fields["counterparty"].queryset = Organization.objects.filter(
            kind__in=kinds, status=Organization.Status.ACTIVE
        ).exclude(pk=organization.pk)
        self.fields["our_side"].initial = "seller" if organization.is_cooperative else "buyer"
        if not organization.is_cooperative:
            del self.fields["from_members"]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("from_members") and not data.get("counterparty"):
            self.add_error("counterparty", _("This field is required."))
        return data


class _AllOrNothingForm(forms.Form):
    """A row of a formset: left blank it is skipped, begun it must be finished."""

    def clean(self) -> dict:
        data = super().clean()
        if any(v not in (None, "") for v in data.values()):
            for name, field in self.fields.items():
                if getattr(field, "needed", False) and data.get(name) in (None, ""):
                    self.add_error(name, _("This field is required."))
        return data

    @property
    def filled(self) -> bool:
        return self.is_valid() and any(v not in (None, "") for v in self.cleaned_data.values())


def _needed(field: forms.Field) -> forms.Field:
    field.needed = True
    return field


class WindowForm(_AllOrNothingForm):
    starts_on = _needed(
        forms.DateField(
            label=_("Window from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    )
    ends_on = _needed(
        forms.DateField(
            label=_("Window to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    )
    quantity_kg = _needed(
        forms.DecimalField(
            label=_("Quantity in the window, kg"),
            min_value=0,
            max_digits=12,
            decimal_places=2,
            required=False,
        )
    )


class GradeForm(_AllOrNothingForm):
    code = _needed(forms.CharField(label=_("Grade code"), max_length=20, required=False))
    name = _needed(forms.CharField(label=_("Grade"), max_length=120, required=False))
    adjustment = forms.IntegerField(
        label=_("Premium (+) or penalty (−), VND/kg"), required=False, initial=None
    )
    lowest = forms.DecimalField(
        label=_("Measured quality from"), max_digits=9, decimal_places=3, required=False
    )
    highest = forms.DecimalField(
        label=_("Measured quality up to"), max_digits=9, decimal_places=3, required=False
    )


class AmendmentForm(forms.Form):
    effective_on = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason for the amendment"), max_length=400)
    quantity_kg = forms.DecimalField(
        label=_("Contracted quantity, kg"), min_value=0, max_digits=12, decimal_places=2
    )
    price_kind = forms.ChoiceField(
        label=_("Price"), choices=LinkageContract.PriceKind.choices, widget=forms.RadioSelect
    )
    fixed_price = forms.IntegerField(label=_("Fixed price, VND/kg"), min_value=1, required=False)
    market_percent = forms.DecimalField(
        label=_("Percentage over (+) or under (−) the market price"),
        max_digits=5,
        decimal_places=2,
        required=False,
    )
    floor_price = forms.IntegerField(label=_("Floor price, VND/kg"), min_value=1, required=False)
    ceiling_price = forms.IntegerField(
        label=_("Ceiling price, VND/kg"), min_value=1, required=False
    )


class ReceiptForm(forms.Form):
    delivery = forms.IntegerField(widget=forms.HiddenInput)
    accepted_kg = forms.DecimalField(
        label=_("Accepted, kg"), min_value=0, max_digits=12, decimal_places=2
    )
    rejected_kg = forms.DecimalField(
        label=_("Rejected, kg"), min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=400, required=False)


WindowFormSet = forms.formset_factory(WindowForm, extra=3)
GradeFormSet = forms.formset_factory(GradeForm, extra=3)
