"""Benchmark of the trace read path: backward and forward traces over a synthetic chain.

This measures reads, not writes. The chain is generated straight into the ledger's tables
with bulk inserts (executemany), bypassing the ledger service, because only the shape and
size of the data matter here and the write path has its own benchmark (bench/capture).

The chain (at --scale 1): 200,000 harvest lots -> bulk lots (merges of 20-80 deliveries, 2 %
of them tanks of 500) -> graded lots (each bulk split in 1-3) -> exporters' blends (2-5
graded lots) -> roast batches (each blend split in 10) -> retail lots (each batch split in
40) -> cases of 12 retail lots (aggregation) -> pallets of 40 cases (aggregation), shipped.
That is eight levels, about 1.07 million lots and 1.9 million genealogy edges; ObjectEvents on
harvest lots, retail lots and cases (commissioning, receiving, inspecting, storing,
shipping) bring the events past 3 million.

Measured with the platform's own functions (coopchain.trace.genealogy.backward/forward,
which the trace pages, the API and recall call): backward traces from random retail lots
and forward traces from random harvest lots, p50 and p95, against a breadth-first walk over
an in-memory adjacency list of the same edges built in the same run (same output: lots with
their identifiers, events walked, shipments). Every sampled walk is checked to reach the
same lots as the in-memory one.

    .venv/bin/python bench/trace/run.py                 # SQLite, full scale
    .venv/bin/python bench/trace/run.py --scale 0.05    # a quick run
    .venv/bin/python bench/trace/run.py --postgres postgres://user:pw@host/db

The last line printed is a JSON object with the figures.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BATCH = 50_000
TARGETS_MS = {"backward_p95": 20.0, "forward_p95": 50.0, "ratio": 10.0}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 200,000 harvest lots")
    parser.add_argument("--samples", type=int, default=200, help="traces timed per direction")
    parser.add_argument("--seed", type=int, default=20251103)
    parser.add_argument(
        "--postgres",
        default="",
        help="a PostgreSQL URL to run on instead of SQLite (default: $TEST_POSTGRES_URL if "
        "--pg-from-env is given)",
    )
    parser.add_argument(
        "--pg-from-env", action="store_true", help="use $TEST_POSTGRES_URL when it is set"
    )
    parser.add_argument(
        "--sqlite",
        default=str(ROOT / "var" / "bench" / "trace.sqlite3"),
        help="SQLite file to (re)create",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep a database already generated at this scale"
    )
    return parser.parse_args()


def bench_database(url: str) -> str:
    """A database of its own beside the one `url` names (created if missing): the bench
    empties the ledger's tables, which must never happen to a test or real database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_bench_trace"
    with psycopg.connect(url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def configure(args: argparse.Namespace) -> str:
    """Point Django at the bench database before it starts; returns a label for it."""
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
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = "sqlite"
    import django

    django.setup()
    return label


class Generator:
    """Writes the synthetic chain with executemany, ids assigned here so rows link up."""

    def __init__(self, scale: float, rng: random.Random) -> None:
        from django.db import connection

        from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot

        self.connection = connection
        self.rng = rng
        self.scale = scale
        self.lot_table = Lot._meta.db_table
        self.event_table = Event._meta.db_table
        self.object_table = EventObject._meta.db_table
        self.edge_table = GenealogyEdge._meta.db_table
        # How Django stores an empty JSON document on this database ('{}' text on both).
        self.document = "{}"
        self.next_lot = 1
        self.next_event = 1
        self.lots: list[tuple] = []
        self.events: list[tuple] = []
        self.objects: list[tuple] = []
        self.edges: list[tuple] = []
        self.counts = defaultdict(int)
        self.clock = datetime(2025, 11, 1, tzinfo=UTC)
        self.ticks = 0
        self.stamp: Any = None
        self.levels: dict[str, list[int]] = {}
        self.harvest_org: dict[int, int] = {}

    # --- rows -------------------------------------------------------------------------

    def _time(self) -> Any:
        # One timestamp per 1,000 rows: converting each one would cost more than the insert.
        self.ticks += 1
        if self.ticks % 1000 == 1:
            self.clock += timedelta(hours=1)
            self.stamp = self.connection.ops.adapt_datetimefield_value(self.clock)
        return self.stamp

    def _uuid(self, number: int) -> Any:
        if self.connection.vendor == "sqlite":
            return f"{number:032x}"  # how Django stores a UUIDField there
        return uuid.UUID(int=number)

    def lot(self, organization: int, kind: str, prefix: str, quantity: int) -> int:
        lot_id = self.next_lot
        self.next_lot += 1
        self.lots.append(
            (
                lot_id,
                organization,
                f"https://bench.example/l/{lot_id:08d}",
                kind,
                f"{prefix}{lot_id:08d}",
                Decimal(quantity),
                "KGM",
                "",
                False,
                "active",
                self._uuid(lot_id),
                self._time(),
            )
        )
        self.counts["lots"] += 1
        if prefix == "H":
            self.harvest_org[lot_id] = organization
        return lot_id

    def event(
        self, organization: int, event_type: str, biz_step: str, action: str = ""
    ) -> tuple[int, str]:
        event_id = self.next_event
        self.next_event += 1
        eid = f"urn:uuid:00000000-0000-4000-8000-{event_id:012x}"
        now = self._time()
        self.events.append(
            (
                event_id,
                organization,
                eid,
                False,
                event_type,
                action,
                biz_step,
                "",
                now,
                "+07:00",
                now,
                "",
                "",
                "",
                self.document,
            )
        )
        self.counts["events"] += 1
        return event_id, eid

    def name(self, event: int, lot: int, role: str) -> None:
        self.objects.append((event, f"https://bench.example/l/{lot:08d}", role, lot))
        self.counts["event_objects"] += 1

    def edge(self, source: int, target: int, event: int, kind: str, organization: int) -> None:
        self.edges.append((source, target, event, kind, organization))
        self.counts["edges"] += 1

    COLUMNS = {
        "lots": (
            "id, organization_id, epc, kind, lot_number, quantity, unit, origin_location,"
            " published, status, public_id, created_at"
        ),
        "events": (
            "id, organization_id, event_id, is_error_declaration, event_type, action, biz_step,"
            " disposition, event_time, event_time_zone_offset, record_time, read_point,"
            " biz_location, transformation_id, document"
        ),
        "objects": "event_id, epc, role, lot_id, uom",
        "edges": "source_id, target_id, event_id, kind, organization_id",
    }

    def flush(self, force: bool = False) -> None:
        from django.db import transaction

        if not force and len(self.objects) < BATCH:
            return
        self.objects = [(*row, "KGM") for row in self.objects]
        tables = {
            "lots": self.lot_table,
            "events": self.event_table,
            "objects": self.object_table,
            "edges": self.edge_table,
        }
        with transaction.atomic():
            for key, table in tables.items():
                rows = getattr(self, key)
                if rows:
                    self._insert(table, self.COLUMNS[key], rows)
        self.lots, self.events, self.objects, self.edges = [], [], [], []

    def _insert(self, table: str, columns: str, rows: list[tuple]) -> None:
        if self.connection.vendor == "postgresql":
            # COPY: PostgreSQL's bulk load, tens of times faster than row inserts.
            raw = self.connection.connection  # the psycopg connection
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * (columns.count(",") + 1))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - model table names

    # --- the chain --------------------------------------------------------------------

    def transform(self, organization: int, inputs: list[int], outputs: list[int]) -> None:
        event, _ = self.event(organization, "TransformationEvent", "commissioning")
        for lot in inputs:
            self.name(event, lot, "input_class")
        for lot in outputs:
            self.name(event, lot, "output_class")
        for source in inputs:
            for target in outputs:
                self.edge(source, target, event, "transformation", organization)

    def aggregate(self, organization: int, children: list[int], parent: int) -> int:
        event, _ = self.event(organization, "AggregationEvent", "packing", "ADD")
        self.name(event, parent, "parent")
        for child in children:
            self.name(event, child, "child")
            self.edge(child, parent, event, "aggregation", organization)
        return event

    def observe(self, organization: int, lot: int, biz_step: str, action: str = "OBSERVE") -> None:
        event, _ = self.event(organization, "ObjectEvent", biz_step, action)
        self.name(event, lot, "epc_class")

    def groups(self, items: list[int], low: int, high: int, tank: float = 0.0) -> list[list[int]]:
        out, i = [], 0
        while i < len(items):
            size = 500 if tank and self.rng.random() < tank else self.rng.randint(low, high)
            out.append(items[i : i + size])
            i += size
        return out

    def run(self, orgs: dict[str, list[int]], progress: Any) -> None:
        rng = self.rng
        coops, exporters, roasters = orgs["coops"], orgs["exporters"], orgs["roasters"]
        harvest_count = max(1_000, int(200_000 * self.scale))

        harvests = []
        for i in range(harvest_count):
            coop = coops[i * len(coops) // harvest_count]
            lot = self.lot(coop, "platform", "H", rng.randint(200, 900))
            harvests.append(lot)
            self.observe(coop, lot, "commissioning", "ADD")
            self.observe(coop, lot, "receiving")
            self.observe(coop, lot, "inspecting")
            self.flush()
        progress("harvest lots", len(harvests))

        graded = []
        for group in self.groups(harvests, 20, 80, tank=0.02):
            coop = self.harvest_org[group[0]]
            bulk = self.lot(coop, "platform", "B", 20_000)
            self.transform(coop, group, [bulk])
            outputs = [self.lot(coop, "platform", "G", 6_000) for _ in range(rng.randint(1, 3))]
            self.transform(coop, [bulk], outputs)
            graded += outputs
            self.flush()
        progress("bulk and graded lots", len(graded))

        rng.shuffle(graded)
        roasts = []
        for group in self.groups(graded, 2, 5):
            exporter = rng.choice(exporters)
            blend = self.lot(exporter, "platform", "X", 20_000)
            self.transform(exporter, group, [blend])
            roaster = rng.choice(roasters)
            batch = [self.lot(roaster, "platform", "R", 2_000) for _ in range(10)]
            self.transform(roaster, [blend], batch)
            roasts += [(roaster, lot) for lot in batch]
            self.flush()
        progress("blends and roast batches", len(roasts))

        retail_all: list[int] = []
        cases: list[tuple[int, int]] = []
        for roaster, batch in roasts:
            retail = [self.lot(roaster, "platform", "P", 50) for _ in range(40)]
            self.transform(roaster, [batch], retail)
            for lot in retail:
                self.observe(roaster, lot, "inspecting")
                self.observe(roaster, lot, "storing")
                self.observe(roaster, lot, "packing")
            for group in self.groups(retail, 12, 12):
                case = self.lot(roaster, "sscc", "C", 600)
                self.aggregate(roaster, group, case)
                cases.append((roaster, case))
            retail_all += retail
            self.flush()
        progress("retail lots", len(retail_all))

        by_roaster: dict[int, list[int]] = defaultdict(list)
        for roaster, case in cases:
            by_roaster[roaster].append(case)
        pallets = []
        for roaster, owned in by_roaster.items():
            for group in self.groups(owned, 40, 40):
                pallet = self.lot(roaster, "sscc", "T", 24_000)
                self.aggregate(roaster, group, pallet)
                for case in group:
                    self.observe(roaster, case, "shipping")
                self.observe(roaster, pallet, "shipping")
                pallets.append(pallet)
                self.flush()
        self.flush(force=True)
        progress("cases and pallets", len(cases) + len(pallets))
        self.levels = {"harvest": harvests, "retail": retail_all}


def make_organizations() -> dict[str, list[int]]:
    from coopchain.parties.models import Organization

    def make(kind: str, name: str, count: int) -> list[int]:
        rows = Organization.objects.bulk_create(
            [Organization(kind=kind, name=f"{name} {i}") for i in range(count)]
        )
        return [o.pk for o in rows]

    return {
        "coops": make(Organization.Kind.COOPERATIVE, "HTX bench", 100),
        "exporters": make(Organization.Kind.ENTERPRISE, "Exporter bench", 10),
        "roasters": make(Organization.Kind.ENTERPRISE, "Roaster bench", 20),
    }


@contextmanager
def without_secondary_structures() -> Iterator[None]:
    """PostgreSQL: drop the ledger tables' plain indexes and foreign keys for the load and
    build them again after. Checking 10 million deferred foreign keys one row at a time, and
    growing eight indexes row by row, is most of a naive load's time; rebuilding them takes
    one sort or one join each. Unique constraints stay, so the data is checked as it comes."""
    from django.db import connection

    from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot

    tables = [m._meta.db_table for m in (Lot, Event, EventObject, GenealogyEdge)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.tablename = ANY(%s) AND i.indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in foreign_keys:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def generate(scale: float, rng: random.Random) -> tuple[dict[str, list[int]], dict[str, int]]:
    from django.db import connection

    orgs = make_organizations()
    generator = Generator(scale, rng)
    started = time.perf_counter()

    def progress(what: str, count: int) -> None:
        print(f"  {what}: {count:,} ({time.perf_counter() - started:.0f} s)", flush=True)

    if connection.vendor == "sqlite":
        # A bulk load needs no crash safety: a broken run is simply generated again.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    if connection.vendor == "postgresql":
        with without_secondary_structures():
            generator.run(orgs, progress)
        progress("indexes and foreign keys rebuilt", generator.counts["lots"])
    else:
        generator.run(orgs, progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA journal_mode=WAL")
    return generator.levels, dict(generator.counts)


def load_memory() -> dict[str, Any]:
    """The same edges, identifiers and shipments as plain Python structures."""
    from django.db import connection

    from coopchain.trace.genealogy import SHIPPED_ROLES, SHIPPING
    from coopchain.trace.models import Event, EventObject, GenealogyEdge, Lot

    back: dict[int, list[tuple[int, int]]] = defaultdict(list)
    ahead: dict[int, list[tuple[int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source_id, target_id, event_id FROM {GenealogyEdge._meta.db_table}")  # noqa: S608 - model table name
        for source, target, event in cursor.fetchall():
            back[target].append((source, event))
            ahead[source].append((target, event))
        cursor.execute(f"SELECT id, epc FROM {Lot._meta.db_table}")  # noqa: S608 - model table name
        epcs = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT id, event_id FROM {Event._meta.db_table}"  # noqa: S608 - model table name
            " WHERE event_type IN ('TransformationEvent', 'AggregationEvent')"
        )
        event_ids = dict(cursor.fetchall())
        roles = ", ".join(["%s"] * len(SHIPPED_ROLES))
        cursor.execute(
            f"SELECT o.lot_id, ev.id, ev.event_id FROM {EventObject._meta.db_table} o"  # noqa: S608 - model table names
            f" JOIN {Event._meta.db_table} ev ON ev.id = o.event_id"
            f" WHERE ev.biz_step = %s AND o.role IN ({roles}) AND o.lot_id IS NOT NULL",
            [SHIPPING, *SHIPPED_ROLES],
        )
        shipped: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for lot, event, event_id in cursor.fetchall():
            shipped[lot].append((event, event_id))
    return {"back": back, "ahead": ahead, "epcs": epcs, "event_ids": event_ids, "shipped": shipped}


def memory_walk(memory: dict[str, Any], start: int, direction: str) -> dict[str, Any]:
    """Breadth-first walk with the same output as genealogy.walk."""
    adjacency = memory["back"] if direction == "backward" else memory["ahead"]
    epcs, event_ids = memory["epcs"], memory["event_ids"]
    lots = {start: epcs[start]}
    events: dict[int, str] = {}
    edges = []
    queue = [start]
    for node in queue:
        for far, event in adjacency.get(node, ()):
            edges.append((far, node, event) if direction == "backward" else (node, far, event))
            events[event] = event_ids[event]
            if far not in lots:
                lots[far] = epcs[far]
                queue.append(far)
    shipments: dict[int, list[int]] = {}
    if direction == "forward":
        shipped = memory["shipped"]
        for lot in lots:
            for event, _ in shipped.get(lot, ()):
                shipments.setdefault(event, []).append(lot)
    return {"lots": lots, "events": events, "edges": edges, "shipments": shipments}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(levels: dict[str, list[int]], samples: int, rng: random.Random) -> dict[str, Any]:
    from coopchain.trace import genealogy

    memory = load_memory()
    results: dict[str, Any] = {}
    for direction, pool in (("backward", levels["retail"]), ("forward", levels["harvest"])):
        starts = rng.sample(pool, min(samples, len(pool)))
        walk = genealogy.backward if direction == "backward" else genealogy.forward
        for lot in starts[:10]:  # warm the caches as a running server would have them
            walk(lot)
            memory_walk(memory, lot, direction)
        db_ms, memory_ms, sizes = [], [], []
        for lot in starts:
            t0 = time.perf_counter()
            trace = walk(lot)
            t1 = time.perf_counter()
            expected = memory_walk(memory, lot, direction)
            t2 = time.perf_counter()
            if set(trace.lots) != set(expected["lots"]) or set(trace.events) != set(
                expected["events"]
            ):
                raise SystemExit(f"{direction} walk from lot {lot} differs from the in-memory walk")
            if direction == "forward" and set(trace.shipments) != set(expected["shipments"]):
                raise SystemExit(f"forward walk from lot {lot} misses shipments")
            db_ms.append((t1 - t0) * 1000)
            memory_ms.append((t2 - t1) * 1000)
            sizes.append(len(trace.lots))
        results[direction] = {
            "p50_ms": round(percentile(db_ms, 0.50), 2),
            "p95_ms": round(percentile(db_ms, 0.95), 2),
            "memory_p50_ms": round(percentile(memory_ms, 0.50), 3),
            "memory_p95_ms": round(percentile(memory_ms, 0.95), 3),
            "ratio_p95": round(percentile(db_ms, 0.95) / max(percentile(memory_ms, 0.95), 1e-6), 1),
            "lots_reached_median": int(statistics.median(sizes)),
            "lots_reached_max": max(sizes),
            "samples": len(starts),
        }
    return results


def main() -> None:
    args = parse_args()
    database = configure(args)
    from django.core.management import call_command

    from coopchain.trace.models import Lot

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if args.reuse and Lot.objects.exists():
        print("reusing the generated chain", flush=True)
        harvest = list(Lot.objects.filter(lot_number__startswith="H").values_list("pk", flat=True))
        retail = list(Lot.objects.filter(lot_number__startswith="P").values_list("pk", flat=True))
        levels = {"harvest": harvest, "retail": retail}
        from coopchain.trace.models import Event, EventObject, GenealogyEdge

        counts = {
            "lots": Lot.objects.count(),
            "events": Event.objects.count(),
            "event_objects": EventObject.objects.count(),
            "edges": GenealogyEdge.objects.count(),
        }
    else:
        if database == "postgresql":
            from coopchain.trace.models import Event, EventObject, GenealogyEdge

            if Lot.objects.exists():
                from django.db import connection

                with connection.cursor() as cursor:
                    tables = ", ".join(
                        m._meta.db_table for m in (GenealogyEdge, EventObject, Event, Lot)
                    )
                    cursor.execute(f"TRUNCATE {tables} CASCADE")
        print(f"generating the chain on {database} (scale {args.scale})", flush=True)
        levels, counts = generate(args.scale, rng)
    generation_s = time.perf_counter() - started
    print(f"generated in {generation_s:.0f} s: {counts}", flush=True)
    results = measure(levels, args.samples, rng)
    for direction, figures in results.items():
        print(
            f"{direction:8} p50 {figures['p50_ms']:7.2f} ms  p95 {figures['p95_ms']:7.2f} ms"
            f"  in-memory p95 {figures['memory_p95_ms']:7.3f} ms  ratio {figures['ratio_p95']:5.1f}x"
            f"  lots reached median {figures['lots_reached_median']:,}, max {figures['lots_reached_max']:,}",
            flush=True,
        )
    summary = {
        "benchmark": "trace",
        "database": database,
        "scale": args.scale,
        **counts,
        "generation_s": round(generation_s, 1),
        "backward": results["backward"],
        "forward": results["forward"],
        "targets": {
            "backward_p95_ms": TARGETS_MS["backward_p95"],
            "forward_p95_ms": TARGETS_MS["forward_p95"],
            "max_ratio": TARGETS_MS["ratio"],
        },
        "met": {
            "backward_p95": results["backward"]["p95_ms"] < TARGETS_MS["backward_p95"],
            "forward_p95": results["forward"]["p95_ms"] < TARGETS_MS["forward_p95"],
            "backward_ratio": results["backward"]["ratio_p95"] <= TARGETS_MS["ratio"],
            "forward_ratio": results["forward"]["ratio_p95"] <= TARGETS_MS["ratio"],
        },
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
