from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.compliance.models import (
    AuditAnswer,
    Certificate,
    Checklist,
    CorrectiveAction,
    LandUseRecord,
    Standard,
    Statement,
)
from coopchain.compliance.services import CertificateData, CommodityLine, StatementData
from coopchain.land.models import Crop, Plot
from coopchain.parties.models import Facility, Member, Organization
from coopchain.trace.models import Lot


class CertificateForm(forms.Form):
    standard = forms.ChoiceField(label=_("Standard"), choices=Standard.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=80)
    holder_kind = forms.ChoiceField(label=_("Holder"), choices=Certificate.Holder.choices)
    holder_member = forms.ModelChoiceField(
        label=_("Member household"), queryset=Member.objects.none(), required=False
    )
    holder_facility = forms.ModelChoiceField(
        label=_("Facility holding it"), queryset=Facility.objects.none(), required=False
    )
    group_name = forms.CharField(label=_("Group name"), max_length=200, required=False)
    certifier_name = forms.CharField(label=_("Certifier"), max_length=200)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ocop_stars = forms.IntegerField(label=_("OCOP stars"), required=False, min_value=3, max_value=5)
    plots = forms.ModelMultipleChoiceField(
        label=_("Plots covered"), queryset=Plot.objects.none(), required=False
    )
    crops = forms.ModelMultipleChoiceField(
        label=_("Products covered (none: all)"),
        queryset=Crop.objects.all(),
        to_field_name="code",
        required=False,
    )
    facilities = forms.ModelMultipleChoiceField(
        label=_("Facilities covered"), queryset=Facility.objects.none(), required=False
    )

    def __init__(
        self, *args, organization: Organization, certifier_id: int | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        # A certifier on the platform is kept as it was: the form names the certifier in words.
        self.certifier_id = certifier_id
        self.fields["holder_member"].queryset = Member.objects.filter(organization=organization)
        self.fields["holder_facility"].queryset = Facility.objects.filter(organization=organization)
        self.fields["plots"].queryset = Plot.objects.filter(
            organization=organization
        ).select_related("member")
        self.fields["facilities"].queryset = Facility.objects.filter(organization=organization)

    @staticmethod
    def initial_for(certificate: Certificate) -> dict:
        return {
            "standard": certificate.standard,
            "number": certificate.number,
            "holder_kind": certificate.holder_kind,
            "holder_member": certificate.holder_member_id,
            "holder_facility": certificate.holder_facility_id,
            "group_name": certificate.group_name,
            "certifier_name": certificate.certifier_name,
            "valid_from": certificate.valid_from,
            "valid_to": certificate.valid_to,
            "ocop_stars": certificate.ocop_stars,
            "plots": list(certificate.plots.values_list("pk", flat=True)),
            "crops": list(certificate.crops.values_list("code", flat=True)),
            "facilities": list(certificate.facilities.values_list("pk", flat=True)),
        }

    def to_data(self) -> CertificateData:
        c = self.cleaned_data
        return CertificateData(
            standard=c["standard"],
            holder_kind=c["holder_kind"],
            number=c["number"],
            certifier_name=c["certifier_name"],
            valid_from=c["valid_from"],
            valid_to=c.get("valid_to"),
            holder_member_id=c["holder_member"].pk if c.get("holder_member") else None,
            group_name=c.get("group_name", ""),
            ocop_stars=c.get("ocop_stars"),
            plot_ids=tuple(p.pk for p in c.get("plots") or ()),
            crop_codes=tuple(crop.code for crop in c.get("crops") or ()),
            facility_ids=tuple(f.pk for f in c.get("facilities") or ()),
            holder_facility_id=c["holder_facility"].pk if c.get("holder_facility") else None,
            certifier_id=self.certifier_id,
        )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG, PNG or WebP, at most 10 MB)"))
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class StatementForm(forms.Form):
    activity = forms.ChoiceField(label=_("Activity"), choices=Statement.Activity.choices)
    hs_code = forms.CharField(label=_("HS code"), max_length=10)
    description = forms.CharField(label=_("Description of the goods"), max_length=255)
    net_mass_kg = forms.DecimalField(label=_("Net mass (kg)"), min_value=0, decimal_places=3)
    upstream_reference = forms.CharField(
        label=_("Upstream statement reference number"), max_length=60, required=False
    )
    upstream_verification = forms.CharField(
        label=_("Its verification number"), max_length=60, required=False
    )
    more_lot = forms.CharField(
        label=_("Another commodity in the shipment: its lot number or identifier"),
        max_length=200,
        required=False,
    )
    more_hs_code = forms.CharField(label=_("Its HS code"), max_length=10, required=False)
    more_description = forms.CharField(label=_("Its description"), max_length=255, required=False)
    more_net_mass_kg = forms.DecimalField(
        label=_("Its net mass in kg"), min_value=0, decimal_places=3, required=False
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("more_lot"):
            for name in ("more_hs_code", "more_description", "more_net_mass_kg"):
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, _("is required for the other commodity"))
        return cleaned

    def to_data(self, more_lot: Lot | None = None) -> StatementData:
        c = self.cleaned_data
        more = ()
        if more_lot is not None:
            more = (
                CommodityLine(
                    lot=more_lot,
                    hs_code=c["more_hs_code"],
                    description=c["more_description"],
                    net_mass_kg=c["more_net_mass_kg"],
                ),
            )
        upstream = ()
        if c.get("upstream_reference"):
            upstream = (
                {
                    "referenceNumber": c["upstream_reference"],
                    "verificationNumber": c.get("upstream_verification", ""),
                },
            )
        return StatementData(
            activity=c["activity"],
            hs_code=c["hs_code"],
            description=c["description"],
            net_mass_kg=c["net_mass_kg"],
            upstream_references=upstream,
            more=more,
        )


class RiskImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file: plot_code, risk, source, assessed_on, note"))
    dry_run = forms.BooleanField(label=_("Check only, import nothing"), required=False)


class AuditStartForm(forms.Form):
    checklist = forms.ModelChoiceField(label=_("Checklist"), queryset=Checklist.objects.all())
    member = forms.ModelChoiceField(
        label=_("Member household"), queryset=Member.objects.none(), required=False
    )
    plot = forms.ModelChoiceField(label=_("Plot"), queryset=Plot.objects.none(), required=False)
    auditor_name = forms.CharField(label=_("Auditor"), max_length=120)
    audited_on = forms.DateField(
        label=_("Audit date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(organization=organization)
        self.fields["plot"].queryset = Plot.objects.filter(organization=organization)


class AnswerForm(forms.Form):
    result = forms.ChoiceField(choices=AuditAnswer.Result.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What was seen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Corrective action"), widget=forms.Textarea(attrs={"rows": 2})
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CorrectiveAction.Status.choices)
    done_on = forms.DateField(
        label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class LandUseForm(forms.Form):
    since = forms.DateField(
        label=_("In this use since"), widget=forms.DateInput(attrs={"type": "date"})
    )
    use = forms.ChoiceField(label=_("Land use"), choices=LandUseRecord.Use.choices)
    source = forms.ChoiceField(
        label=_("Where this comes from"), choices=LandUseRecord.Source.choices
    )
    cleared_forest = forms.BooleanField(label=_("Forest was cleared for it"), required=False)
    cleared_area_ha = forms.DecimalField(
        label=_("Area cleared (ha)"), required=False, min_value=0, decimal_places=4
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)
    file = forms.FileField(
        label=_("Evidence file (PDF, JPEG, PNG or WebP, at most 10 MB)"), required=False
    )
    file_description = forms.CharField(
        label=_("What the file shows"), max_length=255, required=False
    )
