"""The EPCIS 2.0 JSON schema, compiled once, and its errors as JSON pointers.

`data/epcis-json-schema.json` is GS1's EPCIS 2.0.1 schema and `data/epcis-context.jsonld`
its JSON-LD context (for reading documents offline), both unmodified (see
`data/LICENSE-GS1.txt`). The schema's `uri` and `date-time` formats are checked: without
that, an identifier with a space or a time without its UTC offset would pass.
"""

import json
from pathlib import Path
from typing import Any, Final

import jsonschema_rs
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from coopchain.errors import FieldError

DATA_DIR: Final = Path(__file__).resolve().parent / "data"
EPCIS_SCHEMA: Final = json.loads((DATA_DIR / "epcis-json-schema.json").read_text("utf-8"))

_VALIDATOR: Final = jsonschema_rs.Draft7Validator(EPCIS_SCHEMA, validate_formats=True)
_MAX_ERRORS: Final = 100
_MAX_MESSAGE: Final = 300
# Combinators report the whole instance in their message; say what went wrong instead.
_COMBINATOR_MESSAGES: Final = {
    "AnyOf": _lazy("does not match any form EPCIS 2.0 allows here"),
    "OneOfNotValid": _lazy("does not match any form EPCIS 2.0 allows here"),
    "OneOfMultipleValid": _lazy("matches more than one form EPCIS 2.0 allows here"),
    "Not": _lazy("is not allowed here"),
}


def pointer(path: list[str | int] | tuple[str | int, ...]) -> str:
    """An RFC 6901 JSON pointer for a path of keys and indexes ("" for the whole document)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def schema_errors(document: Any) -> list[FieldError]:
    """Where and why `document` fails the EPCIS 2.0 schema; empty when it conforms.

    Each error's `field` is a JSON pointer to the offending value. Only the innermost
    errors are kept: an event that fails because one of its EPCs is not a URI is reported
    at the EPC, not again at the event and the document.
    """
    found: dict[str, FieldError] = {}
    for error in _VALIDATOR.iter_errors(document):
        path = list(error.instance_path)
        kind = type(error.kind).__name__
        if kind == "PropertyNames":
            # The offending value is a property name: point at that property.
            name = error.kind.error.instance
            path.append(name)
            reason = _(
                "%(name)s is not an EPCIS field; an extension field needs a namespace prefix"
            ) % {"name": json.dumps(name)}
        elif kind == "Required":
            path.append(error.kind.property)
            reason = _("is required")
        elif kind == "Format" and path[-1:] == ["type"]:
            reason = _(
                "%(type)s is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent,"
                " TransactionEvent, TransformationEvent, AssociationEvent)"
            ) % {"type": json.dumps(error.instance)}
        else:
            reason = str(_COMBINATOR_MESSAGES.get(kind, "")) or error.message
        where = pointer(path)
        if where not in found:
            found[where] = FieldError(field=where, reason=reason[:_MAX_MESSAGE])
        if len(found) >= _MAX_ERRORS:
            break
    return [
        error
        for where, error in found.items()
        if not any(other.startswith(where + "/") for other in found)
    ]
