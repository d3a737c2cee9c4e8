"""The milk-collection demo for `coopchain demo`: two weeks at HTX Bò sữa Ba Vì.

Every current member household delivers twice a day to the collection centre of its
commune. Herds follow the dairy study in `shared/seeds` (household farms of a few cows;
about 3,000 litres a cow a year, some 10 litres a day, half of it each milking), so a
household brings a few litres to a few tens of litres a shift. Fat and solids-not-fat are
those of crossbred Holstein milk. Among them: a few watered deliveries (low SNF and
density), one antibiotic-positive delivery (refused), a few arriving warm, and a member
whose bacteria count from the lab costs a penalty. The processor's rate chart (Công ty Cổ
phần Sữa Tản Viên) pays by total-solids grades in steps of 250–700 VND/kg and takes
300–900 VND/kg off above 350,000 bacteria/ml, the shape of the published schemes in
REFERENCE.md; its base price is illustrative. Each tank's shift becomes a bulk lot shipped
to the processor, the centres' tanks log their temperature every half hour, and the
half-month bills are made, the earlier one closed.

Dates are counted back from the day the demo is loaded; loading again adds nothing (the
rate chart marks a demo already loaded).
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.forms import half_month
from coopchain.dairy.models import BulkLot, Delivery, RateChart
from coopchain.parties.demo import DAIRY, ORGANIZATION_PLANS, PROCESSOR
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import SYSTEM

CHART_NAME = "Sữa Tản Viên — bảng giá sữa tươi nguyên liệu"
DAYS = 14
SEED = 186  # QCVN 01-186: any fixed number makes the demo the same on every machine
LITRES_PER_COW_SHIFT = Decimal("5")  # 3,000 l a year ≈ 10 l a day, two milkings
SOLIDS_GRADES = [
    (Decimal("11.5"), 0),
    (Decimal("12.0"), 250),
    (Decimal("12.5"), 500),
    (Decimal("13.0"), 700),
    (Decimal("11.0"), -700),
]
BACTERIA_GRADES = [(350_000, 300), (1_000_000, 600), (3_000_000, 900)]
BASE_PRICE = 14_000


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


def _at(day: date, shift: str, minute: int) -> datetime:
    hour = 6 if shift == "morning" else 17
    return timezone.make_aware(datetime.combine(day, time(hour, minute % 60)))


def _decimal(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


@transaction.atomic
def load_dairy_demo(*, stdout: TextIO | None = None) -> dict[str, Any]:
    coop, processor = _organization(DAIRY), _organization(PROCESSOR)
    if coop is None or processor is None:
        return {}
    if RateChart.objects.filter(organization=coop, name=CHART_NAME).exists():
        return {"deliveries": Delivery.objects.filter(organization=coop).count()}
    today = timezone.localdate()
    first = today - timedelta(days=DAYS)
    services.create_rate_chart(
        organization=coop,
        processor=processor,
        name=CHART_NAME,
        base_price=BASE_PRICE,
        valid_from=first - timedelta(days=30),
        solids_grades=SOLIDS_GRADES,
        bacteria_grades=BACTERIA_GRADES,
        source="Total-solids steps and bacteria penalties: REFERENCE.md (published schemes)",
        by=SYSTEM,
    )
    centres = list(
        Facility.objects.filter(organization=coop, kind=Facility.Kind.COLLECTION_CENTRE).order_by(
            "code"
        )
    )
    if not centres:
        return {}
    members = list(Member.objects.filter(organization=coop).active(first).order_by("code"))
    rng = random.Random(SEED)  # noqa: S311 - demo figures, the same on every run
    herds = {m.pk: rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8]) for m in members}
    home = {
        m.pk: centres[0] if m.ward_id == coop.ward_id or len(centres) == 1 else centres[1]
        for m in members
    }
    watered = {(members[3].pk, 4), (members[11].pk, 9), (members[20 % len(members)].pk, 12)}
    antibiotic = (members[7 % len(members)].pk, 6)
    warm_day = 10
    rows = []
    for offset in range(DAYS + 1):
        day = first + timedelta(days=offset)
        for shift in ("morning", "evening"):
            if day == today and (shift == "evening" or timezone.localtime().hour < 7):
                continue
            for index, member in enumerate(members):
                if rng.random() < 0.04:
                    continue  # a shift missed: a sick cow, a family matter
                litres = herds[member.pk] * LITRES_PER_COW_SHIFT * Decimal(rng.uniform(0.8, 1.15))
                fat = rng.gauss(3.75, 0.25)
                snf = rng.gauss(8.55, 0.15)
                density = 1.0285 + rng.gauss(0, 0.0008)
                temperature = rng.uniform(3.0, 5.5)
                key = (member.pk, offset)
                if key in watered:
                    snf, density, fat = snf * 0.88, density - 0.0045, fat * 0.9
                if offset == warm_day and home[member.pk] == centres[-1] and index % 3 == 0:
                    temperature = rng.uniform(8.0, 11.0)
                rows.append(
                    services.DeliveryRow(
                        centre=home[member.pk],
                        member=member,
                        shift=shift,
                        delivered_at=_at(day, shift, index),
                        reading=services.Reading(
                            quantity=_decimal(float(litres), "0.1"),
                            unit=Delivery.Unit.LITRE,
                            fat=_decimal(fat),
                            snf=_decimal(snf),
                            density=_decimal(density, "0.0001"),
                            temperature=_decimal(temperature, "0.1"),
                            antibiotic=(
                                Delivery.Antibiotic.POSITIVE
                                if key == antibiotic and shift == "morning"
                                else Delivery.Antibiotic.NEGATIVE
                            ),
                        ),
                    )
                )
    count = services.record_deliveries(organization=coop, rows=rows, by=SYSTEM)
    _lab_tests(coop, members, first)
    tanks = sorted(
        {
            (d.centre_id, d.collection_day, d.shift)
            for d in Delivery.objects.filter(organization=coop, status="accepted")
        },
    )
    by_id = {c.pk: c for c in centres}
    bulk_lots = services.make_bulk_lots(
        organization=coop,
        tanks=[(by_id[c], day, shift) for c, day, shift in tanks if day < today],
        by=SYSTEM,
    )
    for bulk in bulk_lots:
        bulk.centre = by_id[bulk.centre_id]
    _ship(bulk_lots, processor)
    _tank_readings(centres, first, warm_day)
    _deductions(members, first, rng)
    _herd_records(members, herds, first)
    bills = _bills(coop, first, today)
    if stdout is not None:
        stdout.write(f"Milk: {count} deliveries, {len(bulk_lots)} bulk lots, {bills} bills\n")
    return {"deliveries": count, "bulk_lots": len(bulk_lots), "bills": bills}


def _ship(bulk_lots: list[BulkLot], processor: Organization) -> None:
    # Each tank leaves within two hours of its milking, so its shipment keeps that time.
    moments = {
        b.pk: timezone.make_aware(
            datetime.combine(b.collection_day, time(8 if b.shift == "morning" else 19))
        )
        for b in bulk_lots
    }
    for moment in sorted(set(moments.values())):
        batch = [b for b in bulk_lots if moments[b.pk] == moment]
        services.ship_bulk_lots(
            bulk_lots=batch, processor=processor, shipped_at=min(moment, timezone.now()), by=SYSTEM
        )


def _lab_tests(coop: Organization, members: list[Member], first: date) -> None:
    sample_day = first + timedelta(days=2)
    for member, count in ((members[5], 1_400_000), (members[9], 420_000)):
        delivery = Delivery.objects.filter(member=member, collection_day=sample_day).first()
        if delivery is not None:
            services.record_lab_test(
                organization=coop,
                delivery=delivery,
                sampled_on=sample_day,
                plate_count=count,
                somatic_cells=380_000,
                protein=Decimal("3.1"),
                laboratory="Phòng thử nghiệm Sữa Tản Viên",
                by=SYSTEM,
            )
    watered = Delivery.objects.filter(member=members[3], collection_day=first + timedelta(days=4))
    if watered.exists():
        services.record_lab_test(
            organization=coop,
            delivery=watered.first(),
            sampled_on=first + timedelta(days=4),
            freezing_point=Decimal("-0.478"),
            laboratory="Phòng thử nghiệm Sữa Tản Viên",
            by=SYSTEM,
        )


def _tank_readings(centres: list[Facility], first: date, warm_day: int) -> None:
    rng = random.Random(SEED + 1)  # noqa: S311 - demo figures, the same on every run
    for centre in centres:
        start = timezone.make_aware(datetime.combine(first, time(0)))
        readings = []
        for step in range(DAYS * 48):
            moment = start + timedelta(minutes=30 * step)
            if moment > timezone.now():
                break
            temperature = 4.0 + rng.uniform(-0.6, 0.6)
            if step // 48 == warm_day and 9 <= (step % 48) // 2 < 12 and centre == centres[-1]:
                temperature = 7.5 + rng.uniform(0, 1.5)  # the compressor stopped for 3 hours
            readings.append((moment, _decimal(temperature, "0.1")))
        services.record_tank_readings(centre=centre, readings=readings, by=SYSTEM)


def _herd_records(members: list[Member], herds: dict[int, int], first: date) -> None:
    """Each farm's herd at the start; every tenth farm bought a cow a month later."""
    for index, member in enumerate(members):
        services.record_herd(member=member, on=first, cows=herds[member.pk], by=SYSTEM)
        if index % 10 == 0:
            services.record_herd(
                member=member, on=first + timedelta(days=30), cows=herds[member.pk] + 1, by=SYSTEM
            )


def _deductions(members: list[Member], first: date, rng: random.Random) -> None:
    for member in members[::4]:
        services.add_deduction(
            member=member,
            on=first + timedelta(days=rng.randint(0, DAYS - 1)),
            kind="feed",
            amount=rng.choice([250_000, 480_000, 720_000]),
            note="Cám hỗn hợp cho bò sữa",
            by=SYSTEM,
        )


def _bills(coop: Organization, first: date, today: date) -> int:
    made = 0
    closed_start, closed_end = half_month(today)
    periods = {half_month(first + timedelta(days=16)), (closed_start, closed_end)}
    for start, end in sorted(periods):
        if end < first or start > today:
            continue
        made += len(services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM))
        if end < today:
            services.close_bills(organization=coop, start=start, end=end, by=SYSTEM)
    return made
