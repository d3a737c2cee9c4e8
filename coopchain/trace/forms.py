from django import forms
from django.utils.translation import gettext_lazy as _

from coopchain.trace.catalog import UNITS, ProductData
from coopchain.trace.mass_balance import COMMODITIES
from coopchain.trace.models import Lot


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    gtin = forms.CharField(
        label=_("GTIN"),
        max_length=20,
        required=False,
        help_text=_(
            "8, 12, 13 or 14 digits with the check digit; leave empty without GS1 numbers."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    hs_code = forms.CharField(label=_("HS code"), max_length=12, required=False)
    commodity = forms.ChoiceField(
        label=_("Commodity"),
        choices=[("", "—"), *COMMODITIES],
        required=False,
        help_text=_("Mass balance uses it to know the expected yield between products."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, initial="KGM")

    def to_data(self) -> ProductData:
        return ProductData(**self.cleaned_data)


class LotFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Lot.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Lots"),
        choices=[("", _("All lots")), ("harvest", _("Harvest lots"))],
        required=False,
    )


class RecallForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was found, and where. Every lot made from this one will be marked."),
    )
