import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopchain.lib import epcis_hash
from coopchain.lib.epcis_hash import EventHashError
from coopchain.lib.tests import shared_dir

EVENT_HASH_DATA = shared_dir() / "gs1" / "eventhash"
VECTORS = EVENT_HASH_DATA / "vectors"


def _files(folder: Path, *patterns: str) -> list[Path]:
    found = sorted(path for pattern in patterns for path in folder.glob(pattern))
    # A missing checkout must fail the run rather than shrink it to nothing: keep one
    # placeholder so the test runs and reports the path it needed.
    return found or [folder / f"<nothing matching {' '.join(patterns)}>"]


def _declared_ignore_fields(document: dict[str, Any]) -> list[str]:
    """The ``<repository>:ignoreFields`` the vectors declare at document or query level."""
    body = document.get("epcisBody", {})
    found: list[str] = []
    for holder in (document, body, body.get("queryResults", {})):
        for key, value in holder.items():
            if key.rpartition(":")[2] == "ignoreFields":
                found += value
    return found


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_shared_gs1_test_data_is_present():
    assert VECTORS.is_dir(), f"GS1 event-hash vectors missing at {VECTORS}"
    assert len(list(VECTORS.glob("*.jsonld"))) >= 22


@pytest.mark.parametrize("path", _files(VECTORS, "*.jsonld"), ids=lambda p: p.stem)
def test_each_reference_vector_hashes_to_its_published_ids(path):
    document = _load(path)
    expected = path.with_suffix(".hashes").read_text(encoding="utf-8").split()
    ignore = _declared_ignore_fields(document)
    assert epcis_hash.document_event_hashes(document, ignore_fields=ignore) == expected


def _current_prehashes() -> list[Any]:
    """Reference pre-hash strings that still hash to the published ID.

    Three .prehashes files are stale; a line is used only if it reproduces its .hashes
    line, so a mismatch below shows exactly where a pre-hash string goes wrong.
    """
    cases = []
    for path in _files(VECTORS, "*.jsonld"):
        prehashes, hashes = path.with_suffix(".prehashes"), path.with_suffix(".hashes")
        if not (prehashes.exists() and hashes.exists()):
            continue
        lines = prehashes.read_text(encoding="utf-8").splitlines()
        expected = hashes.read_text(encoding="utf-8").split()
        for index, (line, published) in enumerate(zip(lines, expected, strict=False)):
            digest = hashlib.sha256(line.encode("utf-8")).hexdigest()
            if published == f"ni:///sha-256;{digest}?ver=CBV2.0":
                cases.append(pytest.param(path, index, line, id=f"{path.stem}-{index}"))
    return cases or [pytest.param(VECTORS / "<missing>", 0, "", id="no-current-prehashes")]


@pytest.mark.parametrize(("path", "index", "reference"), _current_prehashes())
def test_pre_hash_strings_match_the_reference_where_it_is_current(path, index, reference):
    document = _load(path)
    context = epcis_hash.hash_context(
        document["@context"], ignore_fields=_declared_ignore_fields(document)
    )
    event = epcis_hash.document_events(document)[index]
    assert epcis_hash.prehash_string(event, context) == reference


@pytest.mark.parametrize(
    "path",
    # XML documents are out of scope: the platform captures JSON-LD only.
    _files(EVENT_HASH_DATA / "expected_equal", "*.json", "*.jsonld"),
    ids=lambda p: p.stem,
)
def test_different_representations_of_one_event_hash_alike(path):
    hashes = epcis_hash.document_event_hashes(_load(path))
    assert len(hashes) > 1
    assert len(set(hashes)) == 1


# --- normalisation rules ---------------------------------------------------------------

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"coop": "https://trace.coop.example/ns/"},
]


def _event(**fields: Any) -> dict[str, Any]:
    event = {
        "type": "ObjectEvent",
        "eventTime": "2025-03-01T08:15:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": ["urn:epc:id:sgtin:8935049.050001.A1"],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "readPoint": {"id": "urn:epc:id:sgln:8935049.50001.0"},
    }
    event.update(fields)
    return event


def _prehash(event: dict[str, Any]) -> str:
    return epcis_hash.prehash_string(event, CONTEXT)


def test_a_harvest_shipment_reads_in_canonical_order():
    event = _event(
        bizTransactionList=[
            {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8935049500018:PO7"}
        ],
        **{"coop:plot": "DL-0042", "coop:moisture": 12.50},
    )
    assert _prehash(event) == (
        "eventType=ObjectEvent"
        "eventTime=2025-03-01T01:15:00.000Z"
        "eventTimeZoneOffset=+07:00"
        "epcListepc=https://id.gs1.org/01/08935049500018/21/A1"
        "action=OBSERVE"
        "bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
        "readPointid=https://id.gs1.org/414/8935049500018"
        "bizTransactionListtype=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:8935049500018:PO7"
        "{https://trace.coop.example/ns/}moisture=12.5"
        "{https://trace.coop.example/ns/}plot=DL-0042"
    )


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),
        ("2023-01-18T11:04:03.1414999Z", "2023-01-18T11:04:03.141Z"),
        ("2023-12-31T23:59:59.9996Z", "2024-01-01T00:00:00.000Z"),
        ("2024-03-01T06:30:00+07:00", "2024-02-29T23:30:00.000Z"),
        ("2019-10-21T14:58:56.0+02:00", "2019-10-21T12:58:56.000Z"),
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"),
    ],
)
def test_timestamps_become_utc_milliseconds(written, canonical):
    assert f"eventTime={canonical}eventTimeZoneOffset" in _prehash(_event(eventTime=written))


@pytest.mark.parametrize(
    ("written", "canonical"),
    [(26, "26"), (26.0, "26"), (12.10, "12.1"), (1e-7, "0.0000001"), (-0.0, "0"), ("0.500", "0.5")],
)
def test_quantities_lose_trailing_zeros(written, canonical):
    event = _event(
        quantityList=[{"epcClass": "urn:epc:class:lgtin:8935049.050001.L1", "quantity": written}]
    )
    assert f"quantity={canonical}action" in _prehash(event)


def test_vocabulary_short_names_curies_and_cbv_urns_expand_alike():
    spellings = ["in_transit", "cbv:Disp-in_transit", "urn:epcglobal:cbv:disp:in_transit"]
    texts = {_prehash(_event(disposition=spelling)) for spelling in spellings}
    assert len(texts) == 1
    assert "disposition=https://ref.gs1.org/cbv/Disp-in_transit" in texts.pop()


def test_record_fields_and_comments_stay_out_of_the_hash():
    plain = epcis_hash.event_hash(_event(), CONTEXT)
    annotated = _event(
        eventID="urn:uuid:5f0d2c7e-3f43-4f3b-9b1a-4c2f0e9a1d11",
        recordTime="2025-03-01T09:00:00Z",
        errorDeclaration={"declarationTime": "2025-03-02T00:00:00Z", "reason": "incorrect_data"},
        **{"rdfs:comment": "scanned twice at the gate"},
    )
    assert epcis_hash.event_hash(annotated, CONTEXT) == plain


def test_an_ignored_field_counts_only_when_asked_for():
    event = _event(**{"coop:captureBatch": "b-17"})
    assert epcis_hash.event_hash(event, CONTEXT) != epcis_hash.event_hash(_event(), CONTEXT)
    assert epcis_hash.event_hash(
        event, CONTEXT, ignore_fields=["coop:captureBatch"]
    ) == epcis_hash.event_hash(_event(), CONTEXT)


def test_an_events_own_context_declares_its_prefixes():
    event = _event(**{"@context": {"farm": "https://farm.example/"}, "farm:plot": "P1"})
    assert _prehash(event).endswith("{https://farm.example/}plot=P1")


def test_the_hash_is_the_sha256_ni_uri_of_the_pre_hash_string():
    event = _event()
    digest = hashlib.sha256(_prehash(event).encode("utf-8")).hexdigest()
    assert epcis_hash.event_hash(event, CONTEXT) == f"ni:///sha-256;{digest}?ver=CBV2.0"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"bizstep": "shipping"}, r"unknown event fields \['bizstep'\]"),
        ({"farm:plot": "P1"}, "prefix 'farm', which no @context declares"),
        ({"eventTime": "2025-03-01T08:15:00"}, "not a timestamp with a time zone"),
        ({"type": None}, "an event needs its type"),
        ({"quantityList": [{"epcClass": "urn:x", "quantity": "lots"}]}, "'lots' is not a number"),
        (
            {"sourceList": [{"source": "urn:x", "note": "?"}]},
            r"fields EPCIS does not define: \['note'\]",
        ),
    ],
)
def test_events_that_cannot_be_hashed_say_why(fields, reason):
    with pytest.raises(EventHashError, match=reason):
        _prehash(_event(**fields))


def test_a_malformed_gs1_key_is_hashed_as_written():
    # Validation rejects bad keys at capture; the hash of a stored event must still compute.
    event = _event(epcList=["https://id.gs1.org/01/08935049500019/21/A1"])
    assert "epc=https://id.gs1.org/01/08935049500019/21/A1" in _prehash(event)


# --- invariants -------------------------------------------------------------------------

# Each identifier with spellings the hash must not tell apart.
_SPELLINGS = {
    "item": [
        "urn:epc:id:sgtin:8935049.050001.A1",
        "https://id.gs1.org/01/08935049500018/21/A1",
        "https://trace.coop.example/01/8935049500018/21/A1?linkType=all",
        "https://trace.coop.example/gtin/08935049500018/ser/A1",
    ],
    "lot": [
        "urn:epc:class:lgtin:8935049.050001.HX%2F07",
        "https://id.gs1.org/01/08935049500018/10/HX%2F07",
        "https://brand.example/p/01/08935049500018/10/HX%2f07",
    ],
    "place": [
        "urn:epc:id:sgln:8935049.50001.0",
        "https://id.gs1.org/414/8935049500018",
        "https://trace.coop.example/gln/8935049500018",
    ],
}

_LISTS_WITHOUT_ORDER = ("epcList", "quantityList", "bizTransactionList", "sensorElementList")


def _rich_event(item: str, lot: str, place: str) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": "2025-03-01T08:15:00.250+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": [item, "urn:epc:id:sscc:8935049.0000000017"],
        "quantityList": [
            {"epcClass": lot, "quantity": 120.5, "uom": "KGM"},
            {"epcClass": "urn:epc:idpat:sgtin:8935049.050001.*", "quantity": 3},
        ],
        "action": "OBSERVE",
        "bizStep": "receiving",
        "readPoint": {"id": place, "coop:gate": "north"},
        "bizTransactionList": [
            {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:8935049500018:D1"},
            {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8935049500018:P1"},
        ],
        "sensorElementList": [
            {
                "sensorMetadata": {"time": "2025-03-01T08:00:00+07:00"},
                "sensorReport": [
                    {"type": "Temperature", "value": 4.5, "uom": "CEL"},
                    {"type": "RelativeHumidity", "value": 81, "uom": "P1"},
                ],
            }
        ],
        "coop:grade": {"coop:score": 92, "coop:inspector": ["B", "A"]},
    }


def _reordered(value: Any, draw: st.DrawFn) -> Any:
    """The same JSON with object keys, and the lists the algorithm sorts, shuffled."""
    if isinstance(value, dict):
        keys = draw(st.permutations(list(value)))
        shuffled = {}
        for key in keys:
            item = _reordered(value[key], draw)
            if key in _LISTS_WITHOUT_ORDER or key in ("sensorReport", "coop:inspector"):
                item = draw(st.permutations(item))
            shuffled[key] = item
        return shuffled
    if isinstance(value, list):
        return [_reordered(item, draw) for item in value]
    return value


@st.composite
def _equivalent_events(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    original = _rich_event(*(spellings[0] for spellings in _SPELLINGS.values()))
    variant = _rich_event(*(draw(st.sampled_from(spellings)) for spellings in _SPELLINGS.values()))
    if draw(st.booleans()):
        variant["eventTime"] = "2025-03-01T01:15:00.2500Z"  # same instant, another spelling
    return original, _reordered(copy.deepcopy(variant), draw)


@given(_equivalent_events())
def test_key_order_and_equivalent_spellings_do_not_change_the_hash(events):
    original, variant = events
    context = epcis_hash.hash_context(CONTEXT)
    assert epcis_hash.event_hash(variant, context) == epcis_hash.event_hash(original, context)


@given(st.sampled_from(["bizStep", "readPoint", "epcList", "coop:grade", "eventTime"]))
def test_changing_any_field_changes_the_hash(field):
    original = _rich_event(*(spellings[0] for spellings in _SPELLINGS.values()))
    changed = copy.deepcopy(original)
    changed[field] = {
        "bizStep": "shipping",
        "readPoint": {"id": "urn:epc:id:sgln:8935049.50002.0"},
        "epcList": ["urn:epc:id:sgtin:8935049.050001.A2"],
        "coop:grade": {"coop:score": 91},
        "eventTime": "2025-03-01T08:15:00.251+07:00",
    }[field]
    assert epcis_hash.event_hash(changed, CONTEXT) != epcis_hash.event_hash(original, CONTEXT)
