from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.contracts.models import LinkageContract
from coopchain.parties.models import AdminUnit
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

    def __init__(self, *args, contract: LinkageContract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
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
