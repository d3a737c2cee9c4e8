"""The report form: prefilled figures shown with their source, the rest typed."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopchain.monitoring.models import COUNT_FIELDS, MONEY_FIELDS, CooperativeReport
from coopchain.monitoring.prefill import SOURCE_LABELS, Prefilled
from coopchain.monitoring.services import ReportData

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
