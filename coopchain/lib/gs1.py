"""GS1 identification keys: check digits, EPC URNs and GS1 Digital Link URIs.

The platform keeps one spelling of every GS1 identifier: the GS1 Digital Link URI on
``https://id.gs1.org`` with numeric application identifiers (AIs), no query string and
only the finest level of identification (GS1 Digital Link 1.2 section 4.11, constrained
as the CBV 2.0 event hash requires). Two spellings of one identifier - an EPC URN, a
Digital Link on a brand's own domain, a GTIN-13 instead of a GTIN-14 - then compare
equal as plain strings, and the event hash sees the same text the database stores.

Nothing here knows about Django; it is plain Python on the standard library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final, Literal
from urllib.parse import quote, unquote, urlsplit

__all__ = [
    "CANONICAL_HOST",
    "DEFAULT_COMPANY_PREFIX_LENGTH",
    "DigitalLink",
    "EpcKind",
    "IdentifierError",
    "canonical_epc",
    "check_digit",
    "digital_link_to_urn",
    "epc_kind",
    "giai_urn",
    "gln_link",
    "grai_urn",
    "gtin_link",
    "gtin_of",
    "gtin_pattern_urn",
    "has_valid_check_digit",
    "lgtin_urn",
    "lot_of",
    "normalise_gln",
    "normalise_gtin",
    "normalise_sscc",
    "parse_digital_link",
    "serial_of",
    "sgln_urn",
    "sgtin_urn",
    "sscc_link",
    "sscc_urn",
    "urn_to_digital_link",
    "verify_check_digit",
]


class IdentifierError(ValueError):
    """A GS1 key, EPC URN or Digital Link that cannot be read; the message says why."""


CANONICAL_HOST: Final = "https://id.gs1.org"

# An EPC URN marks where the GS1 company prefix ends; a Digital Link does not, and the
# split cannot be recovered from the digits (it needs GS1's prefix allocation table).
# 7 is the length in most GS1 examples. Vietnamese prefixes (893...) are commonly 7 to
# 9 digits, so callers that know a cooperative's real prefix length should pass it.
DEFAULT_COMPANY_PREFIX_LENGTH: Final = 7

Validator = Callable[[str], str]  # returns the canonical value or raises IdentifierError

EpcKind = Literal["sgtin", "lgtin", "sscc", "sgln", "gtin", "grai", "giai", "other"]

_DIGITS = re.compile(r"[0-9]+")
_NUMERALS: Final = frozenset("0123456789")
# GS1 AI encodable character set 82 (GS1 General Specifications 7.11, figure 7.11-1):
# serials, lots, GLN extensions, GIAI and GINC references draw from it.
_XCHARS: Final = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
# Character set 39, the only characters a CPID may hold.
_YCHARS: Final = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Characters an EPC URN may carry unescaped (the "GS3A3" components of the Tag Data
# Standard's URI grammar); the rest of set 82 is percent-encoded.
_URN_SAFE: Final = "!'()*+,:;="
# In a Digital Link path everything outside the URI "unreserved" set is percent-encoded,
# except the apostrophe: the CBV 2.0 event-hash test vectors keep ' literal (and encode
# " as %22), and the stored form must be the one the hash is computed over.
_LINK_SAFE: Final = "'"
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


# --- check digits and plain keys -----------------------------------------------------


def check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for ``body``, a numeric key without its check digit."""
    if not _DIGITS.fullmatch(body):
        raise IdentifierError(f"{body!r} must contain only the digits 0-9")
    # Weights 3, 1, 3, ... from the rightmost digit (GS1 General Specifications 7.9.1).
    total = sum(int(digit) * (3 if i % 2 == 0 else 1) for i, digit in enumerate(reversed(body)))
    return str(-total % 10)


def has_valid_check_digit(code: str) -> bool:
    """Whether a GTIN, GLN, SSCC or other numeric key ends in its correct check digit."""
    return (
        len(code) >= 2
        and _DIGITS.fullmatch(code) is not None
        and (check_digit(code[:-1]) == code[-1])
    )


def verify_check_digit(code: str, *, label: str = "GS1 key") -> str:
    """Return ``code`` unchanged, or raise IdentifierError saying which digit was expected."""
    if len(code) < 2 or not _DIGITS.fullmatch(code):
        raise IdentifierError(f"{label} {code!r} must contain only the digits 0-9")
    expected = check_digit(code[:-1])
    if code[-1] != expected:
        raise IdentifierError(
            f"{label} {code}: bad check digit: expected {expected}, got {code[-1]}"
        )
    return code


def _numeric_key(value: str, lengths: tuple[int, ...], label: str) -> str:
    code = value.strip()
    if not _DIGITS.fullmatch(code):
        raise IdentifierError(f"{label} {value!r} must contain only the digits 0-9")
    if len(code) not in lengths:
        allowed = ", ".join(str(n) for n in lengths[:-1])
        allowed = f"{allowed} or {lengths[-1]}" if allowed else str(lengths[-1])
        raise IdentifierError(f"{label} {code} has {len(code)} digits; expected {allowed}")
    return verify_check_digit(code, label=label)


def normalise_gtin(value: str) -> str:
    """A GTIN-8, -12, -13 or -14 as the 14-digit GTIN every GS1 key uses."""
    return _numeric_key(value, (8, 12, 13, 14), "GTIN").zfill(14)


def normalise_gln(value: str) -> str:
    """A 13-digit GLN, checked."""
    return _numeric_key(value, (13,), "GLN")


def normalise_sscc(value: str) -> str:
    """An 18-digit SSCC, checked; the AI 00 prefix of a barcode string is not accepted."""
    return _numeric_key(value, (18,), "SSCC")


# --- Digital Link --------------------------------------------------------------------


def _chars(value: str, allowed: frozenset[str], low: int, high: int, label: str) -> str:
    if not low <= len(value) <= high:
        raise IdentifierError(f"{label} {value!r} must be {low} to {high} characters long")
    stray = sorted({c for c in value if c not in allowed})
    if stray:
        raise IdentifierError(f"{label} {value!r} contains characters GS1 does not allow: {stray}")
    return value


def _xchars(low: int, high: int, label: str) -> Validator:
    return lambda value: _chars(value, _XCHARS, low, high, label)


def _numerals(low: int, high: int, label: str) -> Validator:
    return lambda value: _chars(value, _NUMERALS, low, high, label)


def _digits_then(digits: int, label: str, tail: tuple[int, int] = (0, 0)) -> Validator:
    """A key made of ``digits`` digits ending in a check digit, then an optional
    serial of ``tail`` (min, max) characters from set 82."""

    def validate(value: str) -> str:
        head, rest = value[:digits], value[digits:]
        if len(head) != digits or not _DIGITS.fullmatch(head):
            raise IdentifierError(f"{label} {value!r} must start with {digits} digits")
        verify_check_digit(head, label=label)
        if rest or tail[0]:
            _chars(rest, _XCHARS, tail[0], tail[1], f"{label} serial component")
        return value

    return validate


def _gcn(value: str) -> str:
    _digits_then(13, "GCN")(value[:13])
    return value[:13] + _chars(value[13:], _NUMERALS, 0, 12, "GCN serial component")


def _itip(value: str) -> str:
    if len(value) != 18 or not _DIGITS.fullmatch(value):
        raise IdentifierError(f"ITIP {value!r} must be 18 digits: a GTIN-14, piece and total")
    verify_check_digit(value[:14], label="ITIP GTIN")
    return value


# Primary keys of GS1 Digital Link 1.2 with the validator that returns their canonical
# value. Lengths and character sets follow the 1.2 ABNF grammar; GRAI, GDTI and GCN also
# accept an empty serial tail because EPCIS class-level identifiers (urn:epc:idpat:...)
# are written that way.
_PRIMARY: Final[dict[str, Validator]] = {
    "00": _digits_then(18, "SSCC"),
    "01": normalise_gtin,
    "253": _digits_then(13, "GDTI", (0, 17)),
    "255": _gcn,
    "401": _xchars(1, 30, "GINC"),
    "402": _digits_then(17, "GSIN"),
    "414": _digits_then(13, "GLN"),
    "417": _digits_then(13, "party GLN"),
    "8003": _digits_then(14, "GRAI", (0, 16)),
    "8004": _xchars(1, 30, "GIAI"),
    "8006": _itip,
    "8010": lambda value: _chars(value, _YCHARS, 1, 30, "CPID"),
    "8013": _xchars(1, 30, "GMN"),
    "8017": _digits_then(18, "GSRN provider"),
    "8018": _digits_then(18, "GSRN recipient"),
}

_QUALIFIER_VALUE: Final[dict[str, Validator]] = {
    "22": _xchars(1, 20, "consumer product variant"),
    "10": _xchars(1, 20, "lot"),
    "21": _xchars(1, 20, "serial"),
    "235": _xchars(1, 28, "third-party serial extension"),
    "254": _xchars(1, 20, "GLN extension"),
    "8011": _numerals(1, 12, "CPID serial"),
    "8019": _numerals(1, 10, "service relation instance"),
}

# Key qualifiers each primary key admits, in the order the path must give them
# (identifier-list.json of GS1 Digital Link; 235 only ever follows a GTIN on its own).
_QUALIFIERS: Final = {
    "01": ("22", "10", "21"),
    "8006": ("22", "10", "21"),
    "414": ("254",),
    "8010": ("8011",),
    "8017": ("8019",),
    "8018": ("8019",),
}

# The finest identification each key allows in the canonical form: a serial outranks a
# lot, and variant or service-relation qualifiers are dropped (CBV 2.0 event hash, rule
# "most fine-granular level": 00, 01, 01 21, 01 10, 01 235, 414 254, 8006 21, ...).
_KEPT_QUALIFIERS: Final = {
    "01": (("21",), ("235",), ("10",)),
    "8006": (("21",), ("10",)),
    "414": (("254",),),
    "8010": (("8011",),),
}

_SHORT_NAMES: Final = {
    "gtin": "01",
    "itip": "8006",
    "gmn": "8013",
    "cpid": "8010",
    "gln": "414",
    "party": "417",
    "gsrnp": "8017",
    "gsrn": "8018",
    "gcn": "255",
    "sscc": "00",
    "gdti": "253",
    "ginc": "401",
    "gsin": "402",
    "grai": "8003",
    "giai": "8004",
    "cpv": "22",
    "lot": "10",
    "ser": "21",
    "cpsn": "8011",
    "glnx": "254",
    "srin": "8019",
}


@dataclass(frozen=True, slots=True)
class DigitalLink:
    """A parsed GS1 Digital Link: primary key, key qualifiers and query-string attributes.

    Values are held decoded (no percent-encoding) and AIs numerically ("01", not "gtin").
    ``attributes`` keeps the query string's data attributes for whoever needs them (a
    best-before date, a linkType); they never take part in identity.
    """

    key: str
    value: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()

    def qualifier(self, ai: str) -> str | None:
        return next((value for code, value in self.qualifiers if code == ai), None)

    def canonical(self) -> DigitalLink:
        """The same identifier at its finest level, without attributes."""
        present = {code for code, _ in self.qualifiers}
        kept: tuple[str, ...] = ()
        for option in _KEPT_QUALIFIERS.get(self.key, ()):
            if present.issuperset(option):
                kept = option
                break
        qualifiers = tuple(pair for pair in self.qualifiers if pair[0] in kept)
        return replace(self, qualifiers=qualifiers, attributes=())

    def uri(self, host: str = CANONICAL_HOST) -> str:
        """This link as a URI on ``host`` (scheme, host and any path prefix, no trailing /)."""
        path = [self.key, quote(self.value, safe=_LINK_SAFE)]
        for code, value in self.qualifiers:
            path += [code, quote(value, safe=_LINK_SAFE)]
        return f"{host.rstrip('/')}/{'/'.join(path)}"


def _decode(segment: str) -> str:
    if _BAD_PERCENT.search(segment):
        raise IdentifierError(f"{segment!r} has a % that does not start a %XX escape")
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError:
        raise IdentifierError(f"{segment!r} percent-encodes bytes that are not UTF-8") from None


def _read_gs1_path(segments: list[str]) -> DigitalLink:
    """Read ``key/value[/qualifier/value...]``; the caller found ``segments[0]`` is a key."""
    key = _SHORT_NAMES.get(segments[0], segments[0])
    value = _PRIMARY[key](_decode(segments[1]))
    allowed = ("235",) if key == "01" and segments[2:3] == ["235"] else _QUALIFIERS.get(key, ())
    qualifiers: list[tuple[str, str]] = []
    position = 0
    for i in range(2, len(segments), 2):
        code = _SHORT_NAMES.get(segments[i], segments[i])
        if code not in allowed:
            raise IdentifierError(f"AI {code} cannot qualify AI {key} in a Digital Link")
        if allowed.index(code) < position:
            order = ", ".join(allowed)
            raise IdentifierError(f"key qualifiers of AI {key} must come in the order {order}")
        position = allowed.index(code) + 1
        qualifiers.append((code, _QUALIFIER_VALUE[code](_decode(segments[i + 1]))))
    return DigitalLink(key, value, tuple(qualifiers))


def _attributes(query: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in re.split(r"[&;]", query):
        if item:
            name, _, value = item.partition("=")
            pairs.append((unquote(name), unquote(value)))
    return tuple(pairs)


def parse_digital_link(uri: str) -> DigitalLink:
    """Read a GS1 Digital Link URI on any host, with or without a path prefix.

    Accepts numeric AIs and the short names of Digital Link 1.1 (``/gtin/...``), GTIN-8,
    -12 and -13 (held as GTIN-14) and percent-encoded values. Raises IdentifierError with
    the reason when the URI is not a valid Digital Link.
    """
    try:
        parts = urlsplit(uri.strip())
    except ValueError as error:  # e.g. an unclosed IPv6 bracket
        raise IdentifierError(f"{uri!r} is not a URI: {error}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise IdentifierError(f"{uri!r} is not an http(s) URI with a host")
    segments = parts.path.split("/")[1:]
    if segments and not segments[-1]:
        segments.pop()  # a trailing slash is a common copy-paste artefact
    first_error: IdentifierError | None = None
    # A custom stem may hold its own path segments (https://brand.example/products/01/...):
    # the GS1 path starts at the first key whose remainder parses.
    for start in range(len(segments) - 1):
        if _SHORT_NAMES.get(segments[start], segments[start]) not in _PRIMARY:
            continue
        if (len(segments) - start) % 2:
            continue
        try:
            link = _read_gs1_path(segments[start:])
        except IdentifierError as error:
            first_error = first_error or error
            continue
        return replace(link, attributes=_attributes(parts.query))
    if first_error is not None:
        raise first_error
    raise IdentifierError(f"{uri!r} has no GS1 primary key in its path")


def gtin_link(
    gtin: str, *, lot: str | None = None, serial: str | None = None, host: str = CANONICAL_HOST
) -> str:
    """``/01/{gtin}[/10/{lot}][/21/{serial}]`` on ``host``."""
    qualifiers = []
    if lot is not None:
        qualifiers.append(("10", _QUALIFIER_VALUE["10"](lot)))
    if serial is not None:
        qualifiers.append(("21", _QUALIFIER_VALUE["21"](serial)))
    return DigitalLink("01", normalise_gtin(gtin), tuple(qualifiers)).uri(host)


def sscc_link(sscc: str, *, host: str = CANONICAL_HOST) -> str:
    """``/00/{sscc}`` on ``host``."""
    return DigitalLink("00", normalise_sscc(sscc)).uri(host)


def gln_link(gln: str, extension: str | None = None, *, host: str = CANONICAL_HOST) -> str:
    """``/414/{gln}[/254/{extension}]`` on ``host``: a physical location."""
    qualifiers = () if extension is None else (("254", _QUALIFIER_VALUE["254"](extension)),)
    return DigitalLink("414", normalise_gln(gln), qualifiers).uri(host)


# --- EPC URNs (GS1 EPC Tag Data Standard 2.0) ----------------------------------------


class _Unconvertible(IdentifierError):
    """A URN under urn:epc: that names no single GS1 key (gid, tag URIs, wide patterns)."""


def _urn_part(value: str) -> str:
    return quote(value, safe=_URN_SAFE)


def _split(body: str, count: int, label: str) -> list[str]:
    # Only the last component (a serial, lot or asset reference) may contain dots.
    parts = body.split(".", count - 1)
    if len(parts) != count:
        raise IdentifierError(f"{label} URN body {body!r} needs {count} dot-separated parts")
    return parts


def _company_prefix(prefix: str) -> str:
    if not _DIGITS.fullmatch(prefix) or not 6 <= len(prefix) <= 12:
        raise IdentifierError(f"GS1 company prefix {prefix!r} must be 6 to 12 digits")
    return prefix


def _reference(prefix: str, reference: str, total: int, label: str) -> None:
    """Check a company prefix and numeric reference that fill ``total`` digits together."""
    _company_prefix(prefix)
    if (reference and not _DIGITS.fullmatch(reference)) or len(prefix + reference) != total:
        raise IdentifierError(
            f"{label}: company prefix {prefix} and reference {reference!r} must be"
            f" {total} digits together"
        )


def _keyed(prefix: str, reference: str, total: int, label: str) -> str:
    _reference(prefix, reference, total, label)
    return _with_check(prefix + reference)


def _with_check(body: str) -> str:
    return body + check_digit(body)


def _gtin(prefix: str, item: str) -> str:
    _reference(prefix, item, 13, "GTIN")
    # The indicator digit leads the item reference in a URN but the GTIN itself.
    return _with_check(item[:1] + prefix + item[1:])


def _text(value: str, low: int, high: int, label: str) -> str:
    return _chars(_decode(value), _XCHARS, low, high, label)


def _sgtin(body: str) -> DigitalLink:
    prefix, item, serial = _split(body, 3, "SGTIN")
    return DigitalLink("01", _gtin(prefix, item), (("21", _text(serial, 1, 20, "serial")),))


def _lgtin(body: str) -> DigitalLink:
    prefix, item, lot = _split(body, 3, "LGTIN")
    return DigitalLink("01", _gtin(prefix, item), (("10", _text(lot, 1, 20, "lot")),))


def _upui(body: str) -> DigitalLink:
    prefix, item, tpx = _split(body, 3, "UPUI")
    extension = _text(tpx, 1, 28, "third-party serial extension")
    return DigitalLink("01", _gtin(prefix, item), (("235", extension),))


def _sscc(body: str) -> DigitalLink:
    prefix, serial = _split(body, 2, "SSCC")
    _reference(prefix, serial, 17, "SSCC")
    # Like a GTIN's indicator, the extension digit moves to the front of the SSCC.
    return DigitalLink("00", _with_check(serial[:1] + prefix + serial[1:]))


def _sgln(body: str) -> DigitalLink:
    prefix, location, extension = _split(body, 3, "SGLN")
    gln = _keyed(prefix, location, 12, "SGLN")
    # TDS: extension "0" means the GLN has no extension, which a Digital Link omits.
    if extension == "0":
        return DigitalLink("414", gln)
    return DigitalLink("414", gln, (("254", _text(extension, 1, 20, "GLN extension")),))


def _pgln(body: str) -> DigitalLink:
    prefix, party = _split(body, 2, "PGLN")
    return DigitalLink("417", _keyed(prefix, party, 12, "PGLN"))


def _grai(body: str) -> DigitalLink:
    prefix, asset_type, serial = _split(body, 3, "GRAI")
    head = "0" + _keyed(prefix, asset_type, 12, "GRAI")
    return DigitalLink("8003", head + _text(serial, 1, 16, "GRAI serial"))


def _giai(body: str) -> DigitalLink:
    prefix, asset = _split(body, 2, "GIAI")
    limit = 30 - len(_company_prefix(prefix))
    return DigitalLink("8004", prefix + _text(asset, 1, limit, "GIAI asset reference"))


def _gsrn(body: str) -> DigitalLink:
    prefix, service = _split(body, 2, "GSRN")
    return DigitalLink("8018", _keyed(prefix, service, 17, "GSRN"))


def _gsrnp(body: str) -> DigitalLink:
    prefix, service = _split(body, 2, "GSRNP")
    return DigitalLink("8017", _keyed(prefix, service, 17, "GSRNP"))


def _gdti(body: str) -> DigitalLink:
    prefix, doc_type, serial = _split(body, 3, "GDTI")
    head = _keyed(prefix, doc_type, 12, "GDTI")
    return DigitalLink("253", head + _text(serial, 1, 17, "GDTI serial"))


def _sgcn(body: str) -> DigitalLink:
    prefix, coupon, serial = _split(body, 3, "SGCN")
    head = _keyed(prefix, coupon, 12, "SGCN")
    return DigitalLink("255", head + _chars(serial, _NUMERALS, 1, 12, "SGCN serial"))


def _cpid(prefix: str, reference: str) -> str:
    return _chars(_company_prefix(prefix) + _decode(reference), _YCHARS, 1, 30, "CPID")


def _cpi(body: str) -> DigitalLink:
    prefix, reference, serial = _split(body, 3, "CPI")
    cpsn = _QUALIFIER_VALUE["8011"](serial)
    return DigitalLink("8010", _cpid(prefix, reference), (("8011", cpsn),))


def _ginc(body: str) -> DigitalLink:
    prefix, reference = _split(body, 2, "GINC")
    limit = 30 - len(_company_prefix(prefix))
    return DigitalLink("401", prefix + _text(reference, 0, limit, "GINC reference"))


def _gsin(body: str) -> DigitalLink:
    prefix, reference = _split(body, 2, "GSIN")
    return DigitalLink("402", _keyed(prefix, reference, 16, "GSIN"))


def _itip_head(prefix: str, item: str, piece: str, total: str) -> str:
    return _itip(_gtin(prefix, item) + piece + total)


def _itip_id(body: str) -> DigitalLink:
    prefix, item, piece, total, serial = _split(body, 5, "ITIP")
    head = _itip_head(prefix, item, piece, total)
    return DigitalLink("8006", head, (("21", _text(serial, 1, 20, "serial")),))


_ID_SCHEMES: Final[dict[str, Callable[[str], DigitalLink]]] = {
    "sgtin": _sgtin,
    "sscc": _sscc,
    "sgln": _sgln,
    "grai": _grai,
    "giai": _giai,
    "gsrn": _gsrn,
    "gsrnp": _gsrnp,
    "gdti": _gdti,
    "cpi": _cpi,
    "sgcn": _sgcn,
    "ginc": _ginc,
    "gsin": _gsin,
    "itip": _itip_id,
    "upui": _upui,
    "pgln": _pgln,
}

# Class-level patterns (every instance of one class) and how many components precede
# the final ``*``; wider patterns such as ``CP.*.*`` name no single GS1 key.
_PATTERNS: Final[dict[str, tuple[int, Callable[..., DigitalLink]]]] = {
    "sgtin": (2, lambda prefix, item: DigitalLink("01", _gtin(prefix, item))),
    "grai": (2, lambda prefix, kind: DigitalLink("8003", "0" + _keyed(prefix, kind, 12, "GRAI"))),
    "gdti": (2, lambda prefix, kind: DigitalLink("253", _keyed(prefix, kind, 12, "GDTI"))),
    "sgcn": (2, lambda prefix, coupon: DigitalLink("255", _keyed(prefix, coupon, 12, "SGCN"))),
    "cpi": (2, lambda prefix, reference: DigitalLink("8010", _cpid(prefix, reference))),
    "itip": (4, lambda *parts: DigitalLink("8006", _itip_head(*parts))),
}

_URN_PREFIX = re.compile(r"urn:epc:(id|class|idpat):([A-Za-z0-9]+):", re.IGNORECASE)


def _link_from_urn(urn: str) -> DigitalLink:
    match = _URN_PREFIX.match(urn)
    if match is None:
        raise _Unconvertible(f"{urn!r} is not a pure-identity, class or pattern EPC URN")
    family, scheme, body = match.group(1).lower(), match.group(2).lower(), urn[match.end() :]
    if family == "id" and scheme in _ID_SCHEMES:
        return _ID_SCHEMES[scheme](body)
    if family == "class" and scheme == "lgtin":
        return _lgtin(body)
    if family == "idpat" and scheme in _PATTERNS:
        count, build = _PATTERNS[scheme]
        parts = body.split(".")
        if len(parts) == count + 1 and parts[-1] == "*" and "*" not in parts[:-1]:
            return build(*parts[:-1])
    raise _Unconvertible(f"{urn!r} names no single GS1 key, so it has no Digital Link form")


def urn_to_digital_link(urn: str, *, host: str = CANONICAL_HOST) -> str:
    """The canonical Digital Link for a pure-identity, LGTIN class or class-pattern URN."""
    return _link_from_urn(urn.strip()).canonical().uri(host)


def _cut(digits: str, start: int, length: int, end: int, label: str) -> tuple[str, str]:
    """Split ``digits[start:end]`` into a company prefix of ``length`` and the rest."""
    if not 6 <= length <= 12:
        raise IdentifierError(f"company prefix length {length} must be 6 to 12")
    if end - start < length:
        raise IdentifierError(f"{label} {digits} is too short for a {length}-digit company prefix")
    return digits[start : start + length], digits[start + length : end]


def _trade_item_urn(link: DigitalLink, length: int) -> str:
    prefix, rest = _cut(link.value, 1, length, 13, "GTIN")
    item = link.value[0] + rest
    if link.key == "8006":
        head = f"{prefix}.{item}.{link.value[14:16]}.{link.value[16:18]}"
        serial = link.qualifier("21")
        return (
            f"urn:epc:id:itip:{head}.{_urn_part(serial)}"
            if serial
            else f"urn:epc:idpat:itip:{head}.*"
        )
    for ai, template in (
        ("21", "urn:epc:id:sgtin:{}"),
        ("235", "urn:epc:id:upui:{}"),
        ("10", "urn:epc:class:lgtin:{}"),
    ):
        value = link.qualifier(ai)
        if value is not None:
            return template.format(f"{prefix}.{item}.{_urn_part(value)}")
    return f"urn:epc:idpat:sgtin:{prefix}.{item}.*"


def _location_urn(link: DigitalLink, length: int) -> str:
    prefix, rest = _cut(link.value, 0, length, 12, "GLN")
    if link.key == "417":
        return f"urn:epc:id:pgln:{prefix}.{rest}"
    return f"urn:epc:id:sgln:{prefix}.{rest}.{_urn_part(link.qualifier('254') or '0')}"


def _sscc_urn(link: DigitalLink, length: int) -> str:
    prefix, rest = _cut(link.value, 1, length, 17, "SSCC")
    return f"urn:epc:id:sscc:{prefix}.{link.value[0]}{rest}"


def _grai_urn(link: DigitalLink, length: int) -> str:
    if not link.value.startswith("0"):
        raise IdentifierError(f"GRAI {link.value} must start with 0 to have an EPC URN")
    prefix, asset_type = _cut(link.value, 1, length, 13, "GRAI")
    serial = link.value[14:]
    if not serial:
        return f"urn:epc:idpat:grai:{prefix}.{asset_type}.*"
    return f"urn:epc:id:grai:{prefix}.{asset_type}.{_urn_part(serial)}"


def _serialised_document_urn(link: DigitalLink, length: int) -> str:
    scheme = "gdti" if link.key == "253" else "sgcn"
    prefix, reference = _cut(link.value, 0, length, 12, scheme.upper())
    serial = link.value[13:]
    if not serial:
        return f"urn:epc:idpat:{scheme}:{prefix}.{reference}.*"
    return f"urn:epc:id:{scheme}:{prefix}.{reference}.{_urn_part(serial)}"


def _numeric_urn(link: DigitalLink, length: int) -> str:
    scheme, end = {"8017": ("gsrnp", 17), "8018": ("gsrn", 17), "402": ("gsin", 16)}[link.key]
    prefix, reference = _cut(link.value, 0, length, end, scheme.upper())
    return f"urn:epc:id:{scheme}:{prefix}.{reference}"


def _free_text_urn(link: DigitalLink, length: int) -> str:
    prefix, reference = _cut(link.value, 0, length, len(link.value), f"AI {link.key}")
    if not _DIGITS.fullmatch(prefix):
        raise IdentifierError(
            f"AI {link.key} value {link.value!r} must start with a company prefix"
        )
    body = f"{prefix}.{_urn_part(reference)}"
    if link.key == "8010":
        serial = link.qualifier("8011")
        return f"urn:epc:id:cpi:{body}.{serial}" if serial else f"urn:epc:idpat:cpi:{body}.*"
    return f"urn:epc:id:{'giai' if link.key == '8004' else 'ginc'}:{body}"


_URN_BUILDERS: Final[dict[str, Callable[[DigitalLink, int], str]]] = {
    "01": _trade_item_urn,
    "8006": _trade_item_urn,
    "00": _sscc_urn,
    "414": _location_urn,
    "417": _location_urn,
    "8003": _grai_urn,
    "253": _serialised_document_urn,
    "255": _serialised_document_urn,
    "8017": _numeric_urn,
    "8018": _numeric_urn,
    "402": _numeric_urn,
    "8004": _free_text_urn,
    "401": _free_text_urn,
    "8010": _free_text_urn,
}


def digital_link_to_urn(
    uri: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH
) -> str:
    """The EPC URN for a Digital Link (an EPC URN is re-spelt canonically).

    A URN marks where the GS1 company prefix ends, so pass the prefix length of the
    key's owner (see DEFAULT_COMPANY_PREFIX_LENGTH). Identification finer than an EPC
    can hold is dropped as ``canonical_epc`` drops it: a lot next to a serial, a variant.
    """
    link = _parse(uri.strip())
    if link is None:
        raise IdentifierError(f"{uri!r} is not a GS1 identifier")
    link = link.canonical()
    if link.key == "8006" and link.qualifier("10") is not None:
        raise IdentifierError("an ITIP with a lot has no EPC URN")
    builder = _URN_BUILDERS.get(link.key)
    if builder is None:
        raise IdentifierError(f"AI {link.key} has no EPC URN")
    return builder(link, company_prefix_length)


def sgtin_urn(
    gtin: str, serial: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH
) -> str:
    """``urn:epc:id:sgtin:CP.IndicatorItemRef.Serial``."""
    link = gtin_link(gtin, serial=serial)
    return digital_link_to_urn(link, company_prefix_length=company_prefix_length)


def lgtin_urn(
    gtin: str, lot: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH
) -> str:
    """``urn:epc:class:lgtin:CP.IndicatorItemRef.Lot``."""
    link = gtin_link(gtin, lot=lot)
    return digital_link_to_urn(link, company_prefix_length=company_prefix_length)


def gtin_pattern_urn(
    gtin: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH
) -> str:
    """``urn:epc:idpat:sgtin:CP.IndicatorItemRef.*``: every instance of a GTIN."""
    return digital_link_to_urn(gtin_link(gtin), company_prefix_length=company_prefix_length)


def sscc_urn(sscc: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH) -> str:
    """``urn:epc:id:sscc:CP.ExtensionSerialRef``."""
    return digital_link_to_urn(sscc_link(sscc), company_prefix_length=company_prefix_length)


def sgln_urn(
    gln: str,
    extension: str | None = None,
    *,
    company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH,
) -> str:
    """``urn:epc:id:sgln:CP.LocationRef.Extension`` (extension ``0`` when there is none)."""
    link = gln_link(gln, extension)
    return digital_link_to_urn(link, company_prefix_length=company_prefix_length)


def grai_urn(grai: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH) -> str:
    """``urn:epc:id:grai:CP.AssetType.Serial`` for a GRAI (14 digits, then the serial)."""
    link = DigitalLink("8003", _PRIMARY["8003"](grai.strip()))
    return _grai_urn(link, company_prefix_length)


def giai_urn(giai: str, *, company_prefix_length: int = DEFAULT_COMPANY_PREFIX_LENGTH) -> str:
    """``urn:epc:id:giai:CP.IndividualAssetRef``."""
    link = DigitalLink("8004", _PRIMARY["8004"](giai.strip()))
    return _free_text_urn(link, company_prefix_length)


# --- one canonical form --------------------------------------------------------------

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
_WHITESPACE = re.compile(r"\s")


@lru_cache(maxsize=65536)
def _parse(uri: str) -> DigitalLink | None:
    """The GS1 identifier a URI names, or None for any other absolute URI.

    Cached: capture sees the same lot and location identifiers over and over.
    """
    if not _SCHEME.match(uri) or _WHITESPACE.search(uri):
        raise IdentifierError(
            f"{uri!r} is not an absolute URI (it needs a scheme such as https: or urn:)"
        )
    lowered = uri[:8].lower()
    if lowered.startswith("urn:epc:"):
        try:
            return _link_from_urn(uri)
        except _Unconvertible:
            return None
    if lowered.startswith(("http://", "https://")):
        try:
            return parse_digital_link(uri)
        except IdentifierError:
            if _claims_gs1_key(uri):
                raise
            return None
    return None


def _claims_gs1_key(uri: str) -> bool:
    """Whether a URI that failed to parse as a Digital Link still meant to be one.

    A platform page such as https://coop.example/party/<uuid> may share a Digital Link
    short name and is left alone; on id.gs1.org, or with a numeric AI in the path, the
    URI can only have meant a GS1 key and its error must surface.
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return True  # not even a URI: the parse error is the one to report
    if not parts.hostname:
        return True
    segments = parts.path.split("/")[:-1]
    return parts.hostname == "id.gs1.org" or any(s in _PRIMARY for s in segments)


@lru_cache(maxsize=65536)
def canonical_epc(uri: str) -> str:
    """The one spelling the platform stores and compares for an identifier URI.

    GS1 keys (EPC URNs or Digital Links on any host) become the canonical Digital Link on
    https://id.gs1.org; any other absolute URI (``urn:uuid:...``, a platform lot page) is
    returned unchanged. Raises IdentifierError for malformed GS1 identifiers and for text
    that is not an absolute URI.

    Cached: a capture names the same few identifiers many times over, and the answer for a
    string never changes (an IdentifierError is raised again, not cached).
    """
    text = uri.strip()
    if not text:
        raise IdentifierError("an identifier URI cannot be empty")
    link = _parse(text)
    return text if link is None else link.canonical().uri()


_KINDS: Final[dict[str, EpcKind]] = {"00": "sscc", "414": "sgln", "8003": "grai", "8004": "giai"}


def epc_kind(uri: str) -> EpcKind:
    """What a URI identifies: an instance (sgtin, sscc, sgln, grai, giai), a class
    (lgtin = GTIN + lot, gtin = every instance of a GTIN), or ``other``."""
    link = _parse(uri.strip())
    if link is None:
        return "other"
    link = link.canonical()
    if link.key == "01":
        if link.qualifier("21") is not None:
            return "sgtin"
        if link.qualifier("10") is not None:
            return "lgtin"
        return "other" if link.qualifiers else "gtin"
    return _KINDS.get(link.key, "other")


def _gtin_link(uri: str) -> DigitalLink:
    link = _parse(uri.strip())
    if link is None or link.key != "01":
        raise IdentifierError(f"{uri!r} does not identify a trade item (GTIN)")
    return link


def gtin_of(uri: str) -> str:
    """The GTIN-14 inside an SGTIN, LGTIN or GTIN-class URI (URN or Digital Link)."""
    return _gtin_link(uri).value


def lot_of(uri: str) -> str:
    """The lot inside an LGTIN URI (or a Digital Link that carries AI 10)."""
    lot = _gtin_link(uri).qualifier("10")
    if lot is None:
        raise IdentifierError(f"{uri!r} carries no lot (AI 10)")
    return lot


def serial_of(uri: str) -> str:
    """The serial inside an SGTIN URI (or a Digital Link that carries AI 21)."""
    serial = _gtin_link(uri).qualifier("21")
    if serial is None:
        raise IdentifierError(f"{uri!r} carries no serial (AI 21)")
    return serial
