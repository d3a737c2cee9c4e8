"""The milk-collection demo for `coopchain demo`: two months at HTX Bò sữa Ba Vì.

About 200 member households keep 5 to 20 cows each (the cooperative's own households and, to
make up the number, dairy households who joined for the milk) and deliver twice a day to the
collection centre of their commune. Yields follow the dairy study in `shared/seeds` (about
3,000 litres a cow a year, some 10 litres a day, half of it each milking), so a household
brings some 20 to 110 litres a shift. Fat and solids-not-fat are those of crossbred Holstein
milk. Among them: a few watered deliveries (low SNF and density), one antibiotic-positive
delivery (refused), a few arriving warm, and a member whose bacteria count from the lab
costs a penalty. The processor's rate chart (Công ty Cổ phần Sữa Tản Viên) pays by
total-solids grades in steps of 250–700 VND/kg and takes 300–900 VND/kg off above 350,000
bacteria/ml, the shape of the published schemes in REFERENCE.md; its base price is
illustrative. Each tank's shift becomes a bulk lot shipped to the processor. The first
centre's tank logger file (a reading every half hour, `timestamp,temperature`) is imported
as a file; the second centre's sensor posts its readings. The half-month bills are made and
every complete period closed.

Dates are counted back from the day the demo is loaded; loading again adds nothing (the
rate chart marks a demo already loaded). `Size` sets how many farms and days: the tests
load a smaller slice of the same demo.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from coopchain.dairy import services
from coopchain.dairy.forms import half_month
from coopchain.dairy.models import BulkLot, Delivery, RateChart
from coopchain.parties import services as parties
from coopchain.parties.demo import (
    DAIRY,
    FEMALE,
    KINH_FAMILIES,
    KINH_GIVEN,
    KINH_MIDDLE,
    MALE,
    ORGANIZATION_PLANS,
    PROCESSOR,
    SON_TAY_FAMILIES,
)
from coopchain.parties.models import Facility, Member, Organization
from coopchain.parties.tenancy import SYSTEM

CHART_NAME = "Sữa Tản Viên — bảng giá sữa tươi nguyên liệu"
SEED = 186  # QCVN 01-186: any fixed number makes the demo the same on every machine
LITRES_PER_COW_SHIFT = Decimal("5")  # 3,000 l a year ≈ 10 l a day, two milkings
# Household dairy farms of Ba Vì: most keep 5 to 10 cows, a few up to 20.
HERD_SIZES = [5, 5, 6, 6, 7, 7, 8, 8, 9, 10, 10, 11, 12, 13, 14, 15, 16, 18, 20]
SOLIDS_GRADES = [
    (Decimal("11.5"), 0),
    (Decimal("12.0"), 250),
    (Decimal("12.5"), 500),
    (Decimal("13.0"), 700),
    (Decimal("11.0"), -700),
]
BACTERIA_GRADES = [(350_000, 300), (1_000_000, 600), (3_000_000, 900)]
BASE_PRICE = 14_000
# Dairy households who joined for the milk carry codes of their own.
DAIRY_CODE = "BV-S{:03d}"
# Deliveries recorded per call: a week of both centres' shifts, one ledger call each.
DAYS_PER_BATCH = 7


@dataclass(frozen=True)
class Size:
    farms: int
    days: int


FULL = Size(farms=200, days=60)
# What the tests load (each demo-loading module, on both databases): the same demo, smaller.
SLICE = Size(farms=90, days=14)
DEFAULT_SIZE = FULL


def _organization(key: str) -> Organization | None:
    return Organization.objects.filter(tax_code=ORGANIZATION_PLANS[key].tax_code).first()


def _at(day: date, shift: str, minute: int) -> datetime:
    hour = 6 if shift == "morning" else 17
    return timezone.make_aware(datetime.combine(day, time(hour + minute // 60, minute % 60)))


def _decimal(value: float, places: str = "0.01") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


@transaction.atomic
def load_dairy_demo(*, stdout: TextIO | None = None, size: Size | None = None) -> dict[str, Any]:
    size = size or DEFAULT_SIZE
    coop, processor = _organization(DAIRY), _organization(PROCESSOR)
    if coop is None or processor is None:
        return {}
    if RateChart.objects.filter(organization=coop, name=CHART_NAME).exists():
        return {"deliveries": Delivery.objects.filter(organization=coop).count()}
    today = timezone.localdate()
    first = today - timedelta(days=size.days)
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
    rng = random.Random(SEED)  # noqa: S311 - demo figures, the same on every run
    members = _farms(coop, centres, first, size.farms, rng)
    herds = {m.pk: rng.choice(HERD_SIZES) for m in members}
    home = {
        m.pk: centres[0] if m.ward_id == centres[0].ward_id or len(centres) == 1 else centres[1]
        for m in members
    }
    watered = {(members[3].pk, 4), (members[11].pk, 9), (members[20 % len(members)].pk, 12)}
    antibiotic = (members[7 % len(members)].pk, 6)
    warm_day = 10
    count = 0
    for week in range(0, size.days + 1, DAYS_PER_BATCH):
        rows = []
        for offset in range(week, min(week + DAYS_PER_BATCH, size.days + 1)):
            day = first + timedelta(days=offset)
            for shift in ("morning", "evening"):
                if day == today and (shift == "evening" or timezone.localtime().hour < 8):
                    continue
                for index, member in enumerate(members):
                    if rng.random() < 0.04:
                        continue  # a shift missed: a sick cow, a family matter
                    key = (member.pk, offset)
                    rows.append(
                        _delivery(
                            rng,
                            member,
                            home[member.pk],
                            _at(day, shift, index // 2),
                            shift,
                            herds[member.pk],
                            watered=key in watered,
                            warm=offset == warm_day
                            and home[member.pk] == centres[-1]
                            and index % 3 == 0,
                            positive=key == antibiotic and shift == "morning",
                        )
                    )
        count += services.record_deliveries(organization=coop, rows=rows, by=SYSTEM)
    _lab_tests(coop, members, first)
    tanks = sorted(
        set(
            Delivery.objects.filter(
                organization=coop, status="accepted", collection_day__lt=today
            ).values_list("centre_id", "collection_day", "shift")
        )
    )
    by_id = {c.pk: c for c in centres}
    bulk_lots = services.make_bulk_lots(
        organization=coop, tanks=[(by_id[c], day, shift) for c, day, shift in tanks], by=SYSTEM
    )
    for bulk in bulk_lots:
        bulk.centre = by_id[bulk.centre_id]
    _ship(bulk_lots, processor)
    _tank_readings(centres, first, size.days, warm_day)
    _deductions(members, first, size.days, rng)
    _herd_records(members, herds, first)
    bills = _bills(coop, first, today)
    if stdout is not None:
        stdout.write(
            f"Milk: {len(members)} farms, {count} deliveries, {len(bulk_lots)} bulk lots,"
            f" {bills} bills\n"
        )
    return {"farms": len(members), "deliveries": count, "bulk_lots": len(bulk_lots), "bills": bills}


def _delivery(
    rng: random.Random,
    member: Member,
    centre: Facility,
    moment: datetime,
    shift: str,
    cows: int,
    *,
    watered: bool,
    warm: bool,
    positive: bool,
) -> services.DeliveryRow:
    litres = cows * LITRES_PER_COW_SHIFT * Decimal(rng.uniform(0.8, 1.15))
    fat = rng.gauss(3.75, 0.25)
    snf = rng.gauss(8.55, 0.15)
    density = 1.0285 + rng.gauss(0, 0.0008)
    temperature = rng.uniform(3.0, 5.5)
    if watered:
        snf, density, fat = snf * 0.88, density - 0.0045, fat * 0.9
    if warm:
        temperature = rng.uniform(8.0, 11.0)
    return services.DeliveryRow(
        centre=centre,
        member=member,
        shift=shift,
        delivered_at=min(moment, timezone.now()),
        reading=services.Reading(
            quantity=_decimal(float(litres), "0.1"),
            unit=Delivery.Unit.LITRE,
            fat=_decimal(fat),
            snf=_decimal(snf),
            density=_decimal(density, "0.0001"),
            temperature=_decimal(temperature, "0.1"),
            antibiotic=Delivery.Antibiotic.POSITIVE if positive else Delivery.Antibiotic.NEGATIVE,
        ),
    )


def _farms(
    coop: Organization, centres: list[Facility], first: date, wanted: int, rng: random.Random
) -> list[Member]:
    """The cooperative's current households, then dairy households joined for the milk
    until there are `wanted` farms, each in the commune of one of the centres."""
    members = list(Member.objects.filter(organization=coop).active(first).order_by("code"))
    taken = set(Member.objects.exclude(national_id="").values_list("national_id", flat=True))
    wards = [c.ward for c in centres if c.ward is not None] or [coop.ward]
    number = 0
    while len(members) < wanted:
        number += 1
        code = DAIRY_CODE.format(number)
        existing = Member.objects.filter(organization=coop, code=code).first()
        if existing is not None:
            members.append(existing)
            continue
        gender = FEMALE if rng.random() < 0.3 else MALE
        family = rng.choices(*zip(*(KINH_FAMILIES + SON_TAY_FAMILIES), strict=True))[0]
        middle = rng.choices(*zip(*KINH_MIDDLE[gender], strict=True))[0]
        birth_year = rng.randint(1958, 1995)
        century = (birth_year // 100 - 19) * 2 + (1 if gender == FEMALE else 0)
        national_id = ""
        while not national_id or national_id in taken:
            national_id = f"001{century}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
        taken.add(national_id)
        ward = wards[number % len(wards)]
        members.append(
            parties.create_member(
                organization=coop,
                data=parties.MemberData(
                    code=code,
                    head_of_household=f"{family} {middle} {rng.choice(KINH_GIVEN[gender])}",
                    joined_on=first - timedelta(days=rng.randint(30, 900)),
                    gender=gender,
                    ethnicity="Kinh",
                    birth_year=birth_year,
                    ward_code=ward.code if ward else "",
                    address=f"Thôn {rng.randint(1, 12)}",
                    national_id=national_id,
                    household_size=rng.randint(3, 7),
                ),
                by=SYSTEM,
            )
        )
    return members[:wanted]


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


def _tank_readings(centres: list[Facility], first: date, days: int, warm_day: int) -> None:
    """Every half hour for each tank; the compressor of the last centre stopped for three
    hours on the warm day. The first centre's logger file is imported as the collector would
    upload it; the other centre's sensor posts its readings."""
    rng = random.Random(SEED + 1)  # noqa: S311 - demo figures, the same on every run
    start = timezone.make_aware(datetime.combine(first, time(0)))
    now = timezone.now()
    for number, centre in enumerate(centres):
        readings = []
        for step in range(days * 48):
            moment = start + timedelta(minutes=30 * step)
            if moment > now:
                break
            temperature = 4.0 + rng.uniform(-0.6, 0.6)
            if step // 48 == warm_day and 9 <= (step % 48) // 2 < 12 and centre == centres[-1]:
                temperature = 7.5 + rng.uniform(0, 1.5)
            readings.append((moment, _decimal(temperature, "0.1")))
        if number == 0:
            lines = ["timestamp,temperature"] + [
                f"{timezone.localtime(m).replace(tzinfo=None).isoformat()},{t}" for m, t in readings
            ]
            services.import_tank_log(centre=centre, text="\n".join(lines) + "\n", by=SYSTEM)
        else:
            services.record_tank_readings(centre=centre, readings=readings, by=SYSTEM)


def _herd_records(members: list[Member], herds: dict[int, int], first: date) -> None:
    """Each farm's herd at the start; every tenth farm bought a cow a month later."""
    for index, member in enumerate(members):
        services.record_herd(member=member, on=first, cows=herds[member.pk], by=SYSTEM)
        if index % 10 == 0:
            services.record_herd(
                member=member, on=first + timedelta(days=30), cows=herds[member.pk] + 1, by=SYSTEM
            )


def _deductions(members: list[Member], first: date, days: int, rng: random.Random) -> None:
    """Feed on credit for a quarter of the farms, an advance for a few, the monthly fee."""
    for member in members[::4]:
        services.add_deduction(
            member=member,
            on=first + timedelta(days=rng.randint(0, days - 1)),
            kind="feed",
            amount=rng.choice([250_000, 480_000, 720_000, 1_150_000]),
            note="Cám hỗn hợp cho bò sữa",
            by=SYSTEM,
        )
    for member in members[5::15]:
        services.add_deduction(
            member=member,
            on=first + timedelta(days=rng.randint(0, days - 1)),
            kind="advance",
            amount=rng.choice([1_000_000, 2_000_000]),
            note="Tạm ứng mua tinh bò",
            by=SYSTEM,
        )


def _bills(coop: Organization, first: date, today: date) -> int:
    """The half-month bills since the first day: every complete period closed, the current
    one open."""
    made = 0
    periods = set()
    day = first
    while day <= today:
        periods.add(half_month(day + timedelta(days=16)))
        day += timedelta(days=15)
    for start, end in sorted(periods):
        if end < first or start > today:
            continue
        made += len(services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM))
        if end < today:
            services.close_bills(organization=coop, start=start, end=end, by=SYSTEM)
    return made
