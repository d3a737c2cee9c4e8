"""Benchmark of the ledger's write path: EPCIS documents captured over HTTP.

Starts a real server (`coopchain serve`, gunicorn, on a free loopback port; --workers
processes of one thread each, so concurrent documents go to different processes rather than
to threads of one that share its interpreter lock) over a fresh,
migrated SQLite file in a temporary directory, creates a cooperative, a manager and an API
token, then posts --documents EPCIS documents of --events events each to /epcis/capture
from --clients concurrent clients, and reports events stored per second (wall time from
the first request to the last answer; capture is synchronous, so every answer is a stored
document). The documents follow a coffee chain: harvest lots commissioned at plots, the
cooperative's hulling (5 harvest lots -> 1 green lot), bags packed on pallets, pallets
shipped; no event carries an eventID, so every one is hashed.

The baseline, in the same run and on the same database file: the same Event and
EventObject rows (identifiers already canonical, IDs already known, no validation, no
hashing, no lots or genealogy) bulk-inserted in one transaction per document. The ratio
is the capture rate over that baseline.

    .venv/bin/python bench/capture/run.py                  # 20 documents of 500 events
    .venv/bin/python bench/capture/run.py --documents 60

The last line printed is a JSON object with the figures.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_EVENTS_PER_SECOND = 3000
HANOI = timezone(timedelta(hours=7))
# The server's PUBLIC_BASE_URL: harvest lots of a cooperative without GS1 numbers get
# platform identifiers under it (coopchain.trace.identifiers).
PLATFORM = "http://127.0.0.1:8000"
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
GREEN_GTIN_URN = "urn:epc:class:lgtin:8930000.054321"
BAG_URN = "urn:epc:id:sgtin:8930000.054321"
PLOT_URN = "urn:epc:id:sgln:8930000.{:05d}.0"
MILL = "urn:epc:id:sgln:8930000.00028.0"
PORT_LOCATION = "urn:epc:id:sgln:8930000.00035.0"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=20, help="documents to post")
    parser.add_argument("--events", type=int, default=500, help="events per document")
    parser.add_argument("--clients", type=int, default=2, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--seed", type=int, default=20251120)
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- documents --------------------------------------------------------------------------


def _time(moment: datetime) -> dict[str, str]:
    text = moment.isoformat(timespec="milliseconds")
    return {"eventTime": text, "eventTimeZoneOffset": text[-6:]}


def coffee_events(document: int, count: int, rng: random.Random) -> list[dict[str, Any]]:
    """`count` events of one day at one cooperative, in the order they happen."""
    day = datetime(2025, 11, 1, 7, 0, tzinfo=HANOI) + timedelta(days=document)
    events: list[dict[str, Any]] = []
    tag = f"D{document:04d}"
    harvests: list[str] = []
    n = 0
    while len(events) < count:
        n += 1
        moment = day + timedelta(seconds=len(events) * 5)
        stage = n % 10
        if stage < 5 or not harvests:  # half the events: harvests
            lot = f"{PLATFORM}/l/{document % 1000:03d}H{n:06d}"  # a platform lot code
            harvests.append(lot)
            events.append(
                {
                    "type": "ObjectEvent",
                    **_time(moment),
                    "action": "ADD",
                    "quantityList": [
                        {"epcClass": lot, "quantity": rng.randint(200, 900), "uom": "KGM"}
                    ],
                    "bizStep": "commissioning",
                    "disposition": "active",
                    "readPoint": {"id": PLOT_URN.format(rng.randint(1, 9999))},
                    "bizLocation": {"id": PLOT_URN.format(rng.randint(1, 9999))},
                    "ilmd": {
                        "cbvmda:lotNumber": f"{tag}-{n}",
                        "cbvmda:harvestStartDate": day.date().isoformat(),
                    },
                }
            )
        elif stage == 5:  # hulling five harvest lots into one green lot
            inputs = harvests[-5:]
            green = f"{GREEN_GTIN_URN}.{tag}G{n:05d}"
            events.append(
                {
                    "type": "TransformationEvent",
                    **_time(moment),
                    "inputQuantityList": [
                        {"epcClass": lot, "quantity": 500, "uom": "KGM"} for lot in inputs
                    ],
                    "outputQuantityList": [{"epcClass": green, "quantity": 480, "uom": "KGM"}],
                    "bizStep": "commissioning",
                    "readPoint": {"id": MILL},
                    "bizLocation": {"id": MILL},
                }
            )
        elif stage in (6, 7):  # bags of green coffee packed on a pallet
            pallet = f"urn:epc:id:sscc:8930000.{document % 10}{n:09d}"
            bags = [f"{BAG_URN}.{tag}B{n:05d}{b}" for b in range(4)]
            events.append(
                {
                    "type": "AggregationEvent",
                    **_time(moment),
                    "action": "ADD",
                    "parentID": pallet,
                    "childEPCs": bags,
                    "bizStep": "packing",
                    "disposition": "in_progress",
                    "readPoint": {"id": MILL},
                }
            )
        else:  # a pallet shipped to the exporter
            pallet = f"urn:epc:id:sscc:8930000.{document % 10}{n - 2:09d}"  # packed 2 events ago
            events.append(
                {
                    "type": "ObjectEvent",
                    **_time(moment),
                    "action": "OBSERVE",
                    "epcList": [pallet],
                    "bizStep": "shipping",
                    "disposition": "in_transit",
                    "readPoint": {"id": PORT_LOCATION},
                    "bizTransactionList": [
                        {"type": "po", "bizTransaction": f"https://exporter.example/po/{tag}-{n}"}
                    ],
                    "sourceList": [
                        {"type": "owning_party", "source": "urn:epc:id:pgln:8930000.00011"}
                    ],
                    "destinationList": [
                        {"type": "owning_party", "destination": "urn:epc:id:pgln:8930000.00012"}
                    ],
                }
            )
    return events[:count]


def epcis_document(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.now(UTC).isoformat(),
        "epcisBody": {"eventList": events},
    }


# --- the server ------------------------------------------------------------------------


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "coopchain"),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--threads",
        "1",
    ]
    server = subprocess.Popen(  # noqa: S603 - our own command, no shell
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"the server did not answer on port {port}; see {log}")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    pids += [int(child) for child in children]
    total = 0.0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def post_all(port: int, token: str, bodies: list[bytes], clients: int) -> list[float]:
    """Post every body (each client its own connection); seconds per document."""
    queue = list(enumerate(bodies))
    lock = threading.Lock()
    took: list[float] = []
    failures: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        while True:
            with lock:
                if not queue:
                    return
                _index, body = queue.pop(0)
            start = time.perf_counter()
            connection.request(
                "POST",
                "/epcis/capture",
                body=body,
                headers={
                    "Content-Type": "application/ld+json",
                    "Authorization": f"Bearer {token}",
                    "GS1-EPCIS-Version": "2.0.0",
                },
            )
            response = connection.getresponse()
            answer = response.read()
            with lock:
                took.append(time.perf_counter() - start)
                if response.status != 202:
                    failures.append(f"{response.status}: {answer[:500]!r}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} captures failed, the first: {failures[0]}")
    return took


# --- the baseline -----------------------------------------------------------------------


def baseline(documents: list[list[dict[str, Any]]], organization: Any) -> float:
    """Seconds to insert the same Event and EventObject rows with plain executemany, one
    transaction per document: values adapted beforehand, IDs assigned by the client."""
    from django.db import connection, transaction

    from coopchain.lib.gs1 import canonical_epc
    from coopchain.trace.models import Event, EventObject

    ops = connection.ops
    now = ops.adapt_datetimefield_value(datetime.now(UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Event._meta.db_table}")  # noqa: S608
        next_id = cursor.fetchone()[0] + 1
    batches = []
    for events in documents:
        event_rows, object_rows = [], []
        for event in events:
            event_id = f"urn:uuid:{uuid.uuid4()}"
            document = {**event, "eventID": event_id, "recordTime": now}
            event_rows.append(
                (
                    next_id,
                    organization.pk,
                    event_id,
                    False,
                    event["type"],
                    event.get("action", ""),
                    event.get("bizStep", ""),
                    event.get("disposition", ""),
                    ops.adapt_datetimefield_value(datetime.fromisoformat(event["eventTime"])),
                    event["eventTimeZoneOffset"],
                    now,
                    canonical_epc(event["readPoint"]["id"]),
                    "",
                    "",
                    json.dumps(document),
                )
            )
            for name, role in (("epcList", "epc"), ("childEPCs", "child")):
                object_rows += [
                    (next_id, canonical_epc(epc), role, None, "") for epc in event.get(name, [])
                ]
            if "parentID" in event:
                object_rows.append((next_id, canonical_epc(event["parentID"]), "parent", None, ""))
            for name, role in (
                ("quantityList", "epc_class"),
                ("inputQuantityList", "input_class"),
                ("outputQuantityList", "output_class"),
            ):
                object_rows += [
                    (next_id, canonical_epc(q["epcClass"]), role, str(q["quantity"]), q["uom"])
                    for q in event.get(name, [])
                ]
            next_id += 1
        batches.append((event_rows, object_rows))

    event_sql = (
        f"INSERT INTO {Event._meta.db_table} (id, organization_id, event_id,"  # noqa: S608
        " is_error_declaration, event_type, action, biz_step, disposition, event_time,"
        " event_time_zone_offset, record_time, read_point, biz_location, transformation_id,"
        f" document) VALUES ({', '.join(['%s'] * 15)})"
    )
    object_sql = (
        f"INSERT INTO {EventObject._meta.db_table} (event_id, epc, role, quantity, uom)"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s)"
    )
    start = time.perf_counter()
    for event_rows, object_rows in batches:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(event_sql, event_rows)
            cursor.executemany(object_sql, object_rows)
    return time.perf_counter() - start


# --- the run ----------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="coopchain-bench-capture-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "COOPCHAIN_DATA_DIR": str(workdir),
        "SECRET_KEY": "bench-only-secret",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "coopchain.settings",
        "PUBLIC_BASE_URL": PLATFORM,
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from coopchain.accounts.services import issue_api_token
    from coopchain.parties.models import Organization, Role
    from coopchain.trace.models import Event

    print(f"database: {workdir / 'bench.sqlite3'}", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    cooperative = Organization.objects.create(
        kind=Organization.Kind.COOPERATIVE, name="HTX Cà phê Bench"
    )
    baseline_org = Organization.objects.create(
        kind=Organization.Kind.COOPERATIVE, name="HTX Baseline"
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="bench-manager")
    Role.objects.create(user=user, organization=cooperative, name=Role.Name.MANAGER)
    _token, secret = issue_api_token(user=user, name="bench")

    documents = [coffee_events(d, args.events, rng) for d in range(args.documents)]
    bodies = [json.dumps(epcis_document(events)).encode() for events in documents]
    total = args.documents * args.events
    print(
        f"{args.documents} documents of {args.events} events ({sum(map(len, bodies)) // 1024} KiB)"
    )

    port = free_port()
    server = start_server(env, port, args.workers, workdir / "server.log")
    try:
        # One small document first, so workers have imported everything before timing.
        warm = coffee_events(10_000, 5, rng)
        post_all(port, secret, [json.dumps(epcis_document(warm)).encode()] * args.workers, 1)
        cpu_before = cpu_seconds(server.pid)
        start = time.perf_counter()
        took = post_all(port, secret, bodies, args.clients)
        elapsed = time.perf_counter() - start
        server_cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)

    stored = Event.objects.filter(organization=cooperative).count()
    if stored != total + len(warm):
        raise SystemExit(f"expected {total + len(warm)} events stored, found {stored}")
    base_seconds = baseline(documents, baseline_org)

    rate = total / elapsed
    base_rate = total / base_seconds
    print(
        f"capture over HTTP: {rate:,.0f} events/s ({elapsed:.2f} s;"
        f" per document p50 {statistics.median(took) * 1000:.0f} ms,"
        f" max {max(took) * 1000:.0f} ms)"
    )
    print(f"baseline bulk insert: {base_rate:,.0f} events/s ({base_seconds:.2f} s)")
    print(
        f"server CPU: {server_cpu / total * 1e6:.0f} µs per event"
        f" ({total / server_cpu:,.0f} events per CPU-second; load average"
        f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    print(
        json.dumps(
            {
                "events_per_second": round(rate),
                "baseline_events_per_second": round(base_rate),
                "ratio": round(rate / base_rate, 3),
                "target_events_per_second": TARGET_EVENTS_PER_SECOND,
                "documents": args.documents,
                "events_per_document": args.events,
                "clients": args.clients,
                "workers": args.workers,
                "document_ms_p50": round(statistics.median(took) * 1000),
                "server_cpu_us_per_event": round(server_cpu / total * 1e6),
                "events_per_server_cpu_second": round(total / server_cpu),
                "load_average": round(os.getloadavg()[0], 1),
                "database": "sqlite",
            }
        )
    )


if __name__ == "__main__":
    main()
