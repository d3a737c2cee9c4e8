"""Raw-milk limits as data, each with the document it comes from.

The national limits are loaded into `QualityStandard`/`QualityLimit` rows the first time a
check needs them, so a processor's stricter standard is one more row set, not new code.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from coopchain.dairy.models import QualityLimit, QualityStandard
from coopchain.parties.models import Organization

P = QualityLimit.Parameter

NATIONAL_CODE = "QCVN 01-186:2017/BNNPTNT"
NATIONAL_TITLE = (
    "National technical regulation on raw milk (QCVN 01-186:2017/BNNPTNT) "
    "with TCVN 7405:2018 Raw fresh milk — Specification"
)
NATIONAL_SOURCE = (
    "QCVN 01-186:2017/BNNPTNT and TCVN 7405:2018, as summarised in the project's "
    "REFERENCE.md (Viet Nam, raw milk)"
)
NATIONAL_VALID_FROM = date(2018, 1, 1)


@dataclass(frozen=True)
class Limit:
    parameter: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


NATIONAL_LIMITS = (
    Limit(P.DRY_MATTER, minimum=Decimal("11.5")),
    Limit(P.FAT, minimum=Decimal("3.2")),
    Limit(P.PROTEIN, minimum=Decimal("2.8")),
    Limit(P.DENSITY, minimum=Decimal("1.026")),
    Limit(P.ACIDITY, minimum=Decimal("16"), maximum=Decimal("21")),
    # A freezing point above −0.50 °C means water; the range is −0.58 to −0.50 °C.
    Limit(P.FREEZING_POINT, minimum=Decimal("-0.58"), maximum=Decimal("-0.50")),
    Limit(P.SOMATIC_CELLS, maximum=Decimal("1000000")),
    Limit(P.PLATE_COUNT, maximum=Decimal("3000000")),
    Limit(P.AFLATOXIN_M1, maximum=Decimal("0.5")),
    Limit(P.TEMPERATURE, minimum=Decimal("2"), maximum=Decimal("6")),
)


@dataclass(frozen=True)
class Limits:
    """The limits in force for one cooperative: parameter -> (minimum, maximum), and where
    they come from."""

    values: dict[str, tuple[Decimal | None, Decimal | None]]
    sources: dict[str, str]

    def minimum(self, parameter: str) -> Decimal | None:
        return self.values.get(parameter, (None, None))[0]

    def maximum(self, parameter: str) -> Decimal | None:
        return self.values.get(parameter, (None, None))[1]


@transaction.atomic
def national_standard() -> QualityStandard:
    standard, created = QualityStandard.objects.get_or_create(
        code=NATIONAL_CODE,
        valid_from=NATIONAL_VALID_FROM,
        defaults={"title": NATIONAL_TITLE, "source": NATIONAL_SOURCE},
    )
    if created:
        QualityLimit.objects.bulk_create(
            QualityLimit(
                standard=standard, parameter=x.parameter, minimum=x.minimum, maximum=x.maximum
            )
            for x in NATIONAL_LIMITS
        )
    return standard


def limits_for(organization: Organization | None, on: date) -> Limits:
    """The national limits, tightened by any standard of the cooperative (or its processor)
    in force on `on`: the stricter bound of each wins."""
    national_standard()
    standards = QualityStandard.objects.filter(valid_from__lte=on).filter(
        organization__isnull=True
    ) | QualityStandard.objects.filter(valid_from__lte=on, organization=organization)
    values: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    sources: dict[str, str] = {}
    rows = QualityLimit.objects.filter(standard__in=standards).select_related("standard")
    for row in rows.order_by("standard__valid_from"):
        low, high = values.get(row.parameter, (None, None))
        if row.minimum is not None and (low is None or row.minimum > low):
            low = row.minimum
        if row.maximum is not None and (high is None or row.maximum < high):
            high = row.maximum
        values[row.parameter] = (low, high)
        sources[row.parameter] = row.standard.code
    return Limits(values=values, sources=sources)
