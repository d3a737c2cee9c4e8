"""The report form: prefilled figures shown with their source, the rest typed."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.contracts.models import LinkageContract
from coopchain.monitoring.models import (
    COUNT_FIELDS,
    MONEY_FIELDS,
    CooperativeReport,
    LinkageModel,
    ProvinceTarget,
    SupportProgramme,
)
from coopchain.monitoring.prefill import SOURCE_LABELS, Prefilled
from coopchain.monitoring.services import LinkageModelData, ReportData
from coopchain.parties.models import AdminUnit, Organization

TRI_STATE = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Period"), choices=CooperativeReport.Half.choices, coerce=int
    )

    @staticmethod
    def default() -> dict[str, int]:
        today = timezone.localdate()
        # The last half-year that has ended.
        if today.month > 6:
            return {"year": today.year, "half": 1}
        return {"year": today.year - 1, "half": 2}


class ReportForm(forms.Form):
    def __init__(self, *args: Any, prefilled: dict[str, Prefilled], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = CooperativeReport._meta
        for name in MONEY_FIELDS + COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=model.get_field(name).verbose_name,
                required=False,
                min_value=None if name == "profit" else 0,
                max_value=5 if name == "ocop_stars" else None,
            )
        for name in ("brand_registered", "traceability_in_use"):
            self.fields[name] = forms.ChoiceField(
                label=model.get_field(name).verbose_name, choices=TRI_STATE, required=False
            )
        self.fields["note"] = forms.CharField(label=_("Note"), max_length=255, required=False)
        for name, found in prefilled.items():
            field = self.fields[name]
            if isinstance(found.value, bool):
                field.initial = "yes" if found.value else "no"
            else:
                field.initial = found.value
            field.help_text = _("Filled from the %(source)s.") % {
                "source": SOURCE_LABELS.get(found.source, found.source)
            }

    def data_object(self) -> ReportData:
        values = dict(self.cleaned_data)
        for name in ("brand_registered", "traceability_in_use"):
            values[name] = {"yes": True, "no": False}.get(values[name])
        return ReportData(**values)


class _OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class _OrganizationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class _ContractChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.seller.name} → {obj.buyer.name} · {obj.commodity}"


class LinkageModelForm(forms.Form):
    """A linkage model as an officer registers it: the choices are the province's communes and
    cooperatives, enterprises anywhere, and contracts between the model's parties."""

    name = forms.CharField(label=_("Name"), max_length=200)
    ward = forms.ModelChoiceField(label=_("Commune/ward"), queryset=AdminUnit.objects.none())
    commodity = forms.CharField(label=_("Commodity"), max_length=80)
    cooperative = _OrganizationChoice(
        label=_("Lead cooperative"), queryset=Organization.objects.none()
    )
    enterprise = _OrganizationChoice(
        label=_("Lead enterprise"), queryset=Organization.objects.none(), required=False
    )
    partners = _OrganizationChoices(
        label=_("Other cooperatives and enterprises"),
        queryset=Organization.objects.none(),
        required=False,
    )
    started_on = forms.DateField(
        label=_("Started on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=LinkageModel.Status.choices)
    contracts = _ContractChoices(
        label=_("Linkage contracts that realise it"),
        queryset=LinkageContract.objects.none(),
        required=False,
        help_text=_(
            "Signed contracts in which a cooperative of the model sells to an enterprise of it."
        ),
    )

    def __init__(
        self, *args: Any, cooperatives: Any, contracts: Any, province_code: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = (
            AdminUnit.objects.filter(province_id=province_code, level=AdminUnit.Level.WARD)
            .select_related("province")
            .order_by("name")
        )
        self.fields["cooperative"].queryset = cooperatives
        enterprises = Organization.objects.filter(kind=Organization.Kind.ENTERPRISE).order_by(
            "name"
        )
        self.fields["enterprise"].queryset = enterprises
        self.fields["partners"].queryset = (cooperatives | enterprises).order_by("name")
        self.fields["contracts"].queryset = contracts

    def data_object(self) -> LinkageModelData:
        data = dict(self.cleaned_data)
        data["partners"] = list(data["partners"])
        data["contracts"] = list(data["contracts"])
        return LinkageModelData(**data)


class TargetForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name; a target saved under an existing code replaces it."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    source = forms.CharField(label=_("Source"), max_length=120)
    measure = forms.ChoiceField(label=_("Measure"), choices=ProvinceTarget.Measure.choices)
    target_percent = forms.DecimalField(
        label=_("Target (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    per_commune = forms.IntegerField(
        label=_("Linkage models per commune"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_("Only for the share of communes with enough linkage models."),
    )
    due_year = forms.IntegerField(label=_("By year"), min_value=2000, max_value=2100)


class OutputForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.IntegerField(
        label=_("Agricultural output value of the province (VND)"), min_value=1
    )


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(label=_("Legal basis or funder"), max_length=200, required=False)
    starts_year = forms.IntegerField(label=_("From year"), min_value=2000, max_value=2100)
    ends_year = forms.IntegerField(label=_("To year"), min_value=2000, max_value=2100)


class AllocationForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=SupportProgramme.objects.none()
    )
    beneficiary = _OrganizationChoice(label=_("Cooperative"), queryset=Organization.objects.none())
    committed = forms.IntegerField(label=_("Committed (VND)"), min_value=0)
    disbursed = forms.IntegerField(label=_("Disbursed (VND)"), min_value=0, initial=0)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)

    def __init__(self, *args: Any, programmes: Any, cooperatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["beneficiary"].queryset = cooperatives
