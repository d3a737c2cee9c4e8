"""Benchmark of milk bills: one 10-day period for 30,000 farmers and 600,000 deliveries.

The farmers are created with the ORM's bulk_create; the deliveries are generated straight
into the delivery table with bulk inserts (executemany on SQLite, COPY on PostgreSQL),
bypassing the recording service, because only the shape and size of the data matter here.
Each farmer delivers twice a day for the ten days; 1 % of deliveries are rejected, and a
tenth of the farmers owe a deduction. Every delivery carries its price, as a recorded one does.

Measured with the platform's own functions, against a plain in-memory computation of the
same sums over the same rows already loaded into Python lists, in the same run:
- `services.generate_bills`, the whole bill computation: the database sums every member's
  deliveries and deductions and writes the 30,000 bills in one statement (a bill's lines are
  read back from its records, not written). Each bill is checked equal to the in-memory sums
  (the check is not timed). The period is then run again three times, each replacing its
  open bills; `generate_bills_s` is the best of all runs, `generate_bills_first_s` the first.
- `selectors.bill_totals`, the same sums read into Python (best of three runs).

    .venv/bin/python bench/bills/run.py                 # SQLite, full scale
    .venv/bin/python bench/bills/run.py --scale 0.05    # a quick run
    .venv/bin/python bench/bills/run.py --postgres postgres://user:pw@host/db
    .venv/bin/python bench/bills/run.py --pg-from-env   # the URL in $TEST_POSTGRES_URL

On PostgreSQL the bench makes a database of its own beside the one named. The last line
printed is a JSON object with the figures, their ratios to the in-memory one and the targets
(under 10 s, within 5x).
"""

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BATCH = 50_000
DAYS = 10
TARGET_S = 10.0
TARGET_RATIO = 5.0
REPEAT = 3
PERIOD_START = date(2026, 3, 1)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 30,000 farmers")
    parser.add_argument("--seed", type=int, default=20260301)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to run on instead")
    parser.add_argument(
        "--pg-from-env", action="store_true", help="use $TEST_POSTGRES_URL when it is set"
    )
    parser.add_argument(
        "--sqlite",
        default=str(ROOT / "var" / "bench" / "bills.sqlite3"),
        help="SQLite file to (re)create",
    )
    parser.add_argument(
        "--skip-generate-bills",
        action="store_true",
        help="time only the totals, not the writing of every bill and line",
    )
    return parser.parse_args()


def bench_database(url: str) -> str:
    """A database of its own beside the one `url` names (created if missing, emptied here):
    the bench fills and empties tables, which must never happen to a test or real database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_bills"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def configure(args: argparse.Namespace) -> str:
    postgres = args.postgres or (
        os.environ.get("TEST_POSTGRES_URL", "") if args.pg_from_env else ""
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopchain.settings")
    if postgres:
        os.environ["DATABASE_URL"] = bench_database(postgres)
        label = "postgresql"
    else:
        path = Path(args.sqlite)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = "sqlite"
    import django

    django.setup()
    return label


COLUMNS = (
    "organization_id, centre_id, member_id, shift, delivered_at, collection_day,"
    " entered_quantity, entered_unit, quantity_kg, quantity_litres, fat, snf, chilled,"
    " antibiotic, status, rejection_reason, flags, price_per_kg, amount, price_lines,"
    " correction_reason, recorded_at"
)


def insert(table: str, columns: str, rows: list[tuple]) -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * (columns.count(",") + 1))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - model table name


def generate(scale: float, rng: random.Random) -> dict[str, Any]:
    from django.db import connection, transaction

    from coopchain.dairy.models import Deduction, Delivery
    from coopchain.parties.models import Facility, Member, Organization

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
    farmers = max(100, int(30_000 * scale))
    coop = Organization.objects.create(kind=Organization.Kind.COOPERATIVE, name="HTX bench")
    centre = Facility.objects.create(
        organization=coop, kind=Facility.Kind.COLLECTION_CENTRE, code="TT01", name="Bench"
    )
    Member.objects.bulk_create(
        [
            Member(
                organization=coop,
                code=f"B{i:06d}",
                head_of_household=f"Farmer {i}",
                search_name=f"farmer {i}",
            )
            for i in range(farmers)
        ],
        batch_size=5_000,
    )
    member_ids = list(Member.objects.filter(organization=coop).values_list("pk", flat=True))
    adapt = connection.ops.adapt_datetimefield_value
    recorded = adapt(datetime(2026, 3, 11, tzinfo=UTC))
    table = Delivery._meta.db_table
    rows: list[tuple] = []
    count = 0
    for offset in range(DAYS):
        day = PERIOD_START + timedelta(days=offset)
        for shift, hour in (("morning", 0), ("evening", 10)):
            moment = adapt(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))
            for member_id in member_ids:
                kg = Decimal(rng.randint(500, 4000)) / 100
                fat = Decimal(rng.randint(330, 430)) / 100
                snf = Decimal(rng.randint(800, 880)) / 100
                rejected = rng.random() < 0.01
                per_kg = 0 if rejected else 13_000 + rng.randint(0, 30) * 50
                amount = int((kg * per_kg).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                rows.append(
                    (
                        coop.pk,
                        centre.pk,
                        member_id,
                        shift,
                        moment,
                        day.isoformat(),
                        kg,
                        "KGM",
                        kg,
                        (kg / Decimal("1.030")).quantize(Decimal("0.01")),
                        fat,
                        snf,
                        True,
                        "positive" if rejected else "negative",
                        "rejected" if rejected else "accepted",
                        "Antibiotic residue test positive" if rejected else "",
                        "[]",
                        per_kg,
                        amount,
                        "[]",
                        "",
                        recorded,
                    )
                )
                count += 1
                if len(rows) >= BATCH:
                    with transaction.atomic():
                        insert(table, COLUMNS, rows)
                    rows = []
    if rows:
        with transaction.atomic():
            insert(table, COLUMNS, rows)
    Deduction.objects.bulk_create(
        [
            Deduction(
                organization=coop,
                member_id=member_id,
                on=PERIOD_START + timedelta(days=rng.randint(0, DAYS - 1)),
                kind=Deduction.Kind.FEED,
                amount=rng.randint(1, 40) * 10_000,
            )
            for member_id in member_ids[::10]
        ],
        batch_size=5_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"coop": coop, "farmers": farmers, "deliveries": count}


def load_memory(coop: Any, start: date, end: date) -> tuple[list[tuple], list[tuple]]:
    """The period's rows as plain tuples, loaded before any timing."""
    from coopchain.dairy.models import Deduction, Delivery

    deliveries = list(
        Delivery.objects.filter(
            organization=coop,
            collection_day__gte=start,
            collection_day__lte=end,
            correction__isnull=True,
        ).values_list("member_id", "status", "quantity_kg", "amount")
    )
    deductions = list(
        Deduction.objects.filter(organization=coop, on__gte=start, on__lte=end).values_list(
            "member_id", "amount"
        )
    )
    return deliveries, deductions


def memory_totals(deliveries: list[tuple], deductions: list[tuple]) -> dict[int, tuple]:
    count: dict[int, int] = defaultdict(int)
    kg: dict[int, Decimal] = defaultdict(Decimal)
    gross: dict[int, int] = defaultdict(int)
    owed: dict[int, int] = defaultdict(int)
    for member_id, status, quantity, amount in deliveries:
        if status == "accepted":
            count[member_id] += 1
            kg[member_id] += quantity
            gross[member_id] += amount or 0
        else:
            count[member_id] += 0
    for member_id, amount in deductions:
        owed[member_id] += amount
    return {
        m: (count[m], kg[m], gross[m], owed[m], gross[m] - owed[m])
        for m in sorted(set(count) | set(owed))
    }


def main() -> None:
    args = parse_args()
    database = configure(args)
    from django.core.management import call_command

    from coopchain.dairy import selectors, services
    from coopchain.parties.tenancy import SYSTEM

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    started = time.perf_counter()
    print(f"generating on {database} (scale {args.scale})", flush=True)
    made_data = generate(args.scale, rng)
    generation_s = time.perf_counter() - started
    coop = made_data["coop"]
    start, end = PERIOD_START, PERIOD_START + timedelta(days=DAYS - 1)
    print(
        f"generated {made_data['farmers']:,} farmers, {made_data['deliveries']:,} deliveries"
        f" in {generation_s:.0f} s",
        flush=True,
    )

    deliveries, deductions = load_memory(coop, start, end)
    # The best of a few runs of each: the figures are for the code, not for a busy machine.
    memory_s = platform_s = float("inf")
    for _run in range(REPEAT):
        t0 = time.perf_counter()
        expected = memory_totals(deliveries, deductions)
        memory_s = min(memory_s, time.perf_counter() - t0)
    selectors.bill_totals(coop, start, end)  # warm the caches as a running server has them
    for _run in range(REPEAT):
        t0 = time.perf_counter()
        totals = selectors.bill_totals(coop, start, end)
        platform_s = min(platform_s, time.perf_counter() - t0)
    found = {
        t.member_id: (t.delivery_count, t.quantity_kg, t.gross, t.deductions, t.net) for t in totals
    }
    if found != expected:
        differing = [m for m in expected if found.get(m) != expected[m]][:5]
        raise SystemExit(f"bill totals differ from the in-memory sums, e.g. members {differing}")
    ratio = platform_s / max(memory_s, 1e-9)
    print(
        f"bill totals: {platform_s:.2f} s on {database}, in-memory {memory_s:.2f} s,"
        f" ratio {ratio:.1f}x, {len(totals):,} bills",
        flush=True,
    )

    generate_s = rerun_s = first_s = None
    if not args.skip_generate_bills:
        t0 = time.perf_counter()
        bills = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
        generate_s = time.perf_counter() - t0
        made = {
            b.member_id: (b.delivery_count, b.quantity_kg, b.gross, b.deductions, b.net)
            for b in bills
        }
        if made != expected:
            raise SystemExit("generate_bills made bills that differ from the in-memory sums")
        print(
            f"generate_bills (writes {len(bills):,} bills): {generate_s:.2f} s,"
            f" ratio {generate_s / max(memory_s, 1e-9):.1f}x",
            flush=True,
        )
        first_s = generate_s
        rerun_s = float("inf")
        for _run in range(REPEAT):
            t0 = time.perf_counter()
            again = services.generate_bills(organization=coop, start=start, end=end, by=SYSTEM)
            rerun_s = min(rerun_s, time.perf_counter() - t0)
            if {b.member_id: b.net for b in again} != {m: e[4] for m, e in expected.items()}:
                raise SystemExit("running the period again gave different bills")
        generate_s = min(generate_s, rerun_s)
        print(
            f"the period run again (its open bills replaced), best of {REPEAT}: {rerun_s:.2f} s",
            flush=True,
        )

    generate_ratio = generate_s / max(memory_s, 1e-9) if generate_s is not None else None
    summary = {
        "benchmark": "bills",
        "database": database,
        "scale": args.scale,
        "farmers": made_data["farmers"],
        "deliveries": made_data["deliveries"],
        "bills": len(totals),
        "generation_s": round(generation_s, 1),
        "memory_s": round(memory_s, 3),
        "bill_totals_s": round(platform_s, 3),
        "bill_totals_ratio": round(ratio, 2),
        "generate_bills_first_s": round(first_s, 3) if first_s is not None else None,
        "generate_bills_s": round(generate_s, 3) if generate_s is not None else None,
        "generate_bills_ratio": round(generate_ratio, 2) if generate_ratio is not None else None,
        "rerun_s": round(rerun_s, 3) if rerun_s is not None else None,
        "targets": {"max_s": TARGET_S, "max_ratio": TARGET_RATIO},
        "met": {
            "bill_totals": platform_s < TARGET_S and ratio <= TARGET_RATIO,
            "generate_bills": generate_ratio is not None
            and generate_s < TARGET_S
            and generate_ratio <= TARGET_RATIO,
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
