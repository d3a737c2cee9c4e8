"""Helpers for the ledger and EPCIS interface tests: GS1's examples, documents, clients."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coopchain.accounts.services import issue_api_token
from coopchain.lib.tests import shared_dir
from coopchain.trace.services import EPCIS_CONTEXT

EXAMPLES = shared_dir() / "gs1" / "epcis" / "examples"


def example_paths() -> list[Path]:
    """GS1's EPCISDocument examples; a placeholder path (which fails) when they are missing."""
    found = sorted(
        path
        for path in EXAMPLES.rglob("*.jsonld")
        if json.loads(path.read_text("utf-8")).get("type") == "EPCISDocument"
    )
    return found or [EXAMPLES / "<no EPCISDocument examples found>"]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


def epcis_document(events: Iterable[dict[str, Any]], context: Any = None) -> dict[str, Any]:
    return {
        "@context": context or EPCIS_CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2025-11-20T08:00:00+07:00",
        "epcisBody": {"eventList": list(events)},
    }


def bearer(user: Any) -> dict[str, str]:
    """Request headers that authenticate as `user` with a fresh API token."""
    _token, secret = issue_api_token(user=user, name="EPCIS client")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def post_document(client: Any, document: Any, headers: dict[str, str], **extra: Any) -> Any:
    return client.post(
        "/epcis/capture",
        data=json.dumps(document),
        content_type="application/ld+json",
        **headers,
        **extra,
    )


def object_event(
    *epcs: str,
    action: str = "OBSERVE",
    biz_step: str = "shipping",
    time: str = "2025-11-20T08:00:00+07:00",
    **fields: Any,
) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": time,
        "eventTimeZoneOffset": time[-6:],
        "action": action,
        "epcList": list(epcs),
        "bizStep": biz_step,
        **fields,
    }
