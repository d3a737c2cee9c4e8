"""Building blocks for milk-collection tests: a centre, a rate chart, deliveries."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.models import Delivery, RateChart
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import SYSTEM
from coopchain.parties.tests.factories import FacilityFactory


def make_centre(organization: Organization, code: str = "TG01") -> Facility:
    return FacilityFactory(
        organization=organization,
        kind=Facility.Kind.COLLECTION_CENTRE,
        code=code,
        name=f"Điểm thu gom sữa {code}",
    )


def make_chart(organization: Organization, **overrides: Any) -> RateChart:
    values: dict[str, Any] = {
        "name": "Bảng giá sữa tươi",
        "base_price": 14000,
        "valid_from": date(2020, 1, 1),
        "solids_grades": [
            (Decimal("11.0"), -700),
            (Decimal("11.5"), 0),
            (Decimal("12.0"), 250),
            (Decimal("12.5"), 500),
            (Decimal("13.0"), 700),
        ],
        "bacteria_grades": [(350_000, 300), (1_000_000, 600), (3_000_000, 900)],
    }
    values.update(overrides)
    return services.create_rate_chart(organization=organization, by=SYSTEM, **values)


def at(day: date, hour: int = 6) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 15)))


def deliver(
    member: Member,
    centre: Facility,
    *,
    on: date | None = None,
    shift: str = "morning",
    quantity: str = "20",
    unit: str = "KGM",
    fat: str | None = "3.8",
    snf: str | None = "8.6",
    density: str | None = "1.029",
    temperature: str | None = "4",
    antibiotic: str = "negative",
    rejection_reason: str = "",
    by: Any = SYSTEM,
) -> Delivery:
    day = on or timezone.localdate()
    hour = 6 if shift == "morning" else 17
    moment = min(at(day, hour), timezone.now())
    reading = services.Reading(
        quantity=Decimal(quantity),
        unit=unit,
        fat=Decimal(fat) if fat else None,
        snf=Decimal(snf) if snf else None,
        density=Decimal(density) if density else None,
        temperature=Decimal(temperature) if temperature else None,
        antibiotic=antibiotic,
        rejection_reason=rejection_reason,
    )
    return services.record_delivery(
        centre=centre, member=member, shift=shift, delivered_at=moment, reading=reading, by=by
    )
