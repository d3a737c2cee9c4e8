"""The platform's own identifiers, for cooperatives that hold no GS1 numbers, and the URIs
printed in QR codes.

A platform lot is `{PUBLIC_BASE_URL}/l/{code}`: an http(s) URI, so EPCIS accepts it as an
EPC, a phone camera opens it, and the resolver at /l/{code} answers it. The code is ten
characters of Crockford's base 32 (no I, L, O or U to misread), 50 random bits, short enough
for a small QR code and for reading aloud over the phone.
"""

import re
import secrets
from urllib.parse import urlsplit

from django.conf import settings

from coopchain.lib.gs1 import IdentifierError, canonical_epc, parse_digital_link
from coopchain.parties.models import Facility, Organization
from coopchain.trace.models import Lot

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
CODE_PATTERN = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")


def platform_lot_uri(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/l/{code}"


def issue_platform_lot_identifier() -> str:
    """A new, unused platform lot URI, for a lot whose owner has no GS1 company prefix.

    Pass it to the ledger as the lot's EPC; the lot row comes into being with the event
    that first names it.
    """
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        uri = platform_lot_uri(code)
        # 2^50 codes make a clash vanishingly rare; the check makes it impossible.
        if not Lot.objects.filter(epc=uri).exists():
            return uri


def normalise_code(code: str) -> str | None:
    """A code as typed or scanned (any case, O for 0, I and L for 1), or None if malformed."""
    cleaned = code.strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")
    return cleaned if CODE_PATTERN.fullmatch(cleaned) else None


def platform_code_of(uri: str) -> str | None:
    """The short code of a platform lot URI, or None for any other identifier."""
    prefix = f"{settings.PUBLIC_BASE_URL}/l/"
    if not uri.startswith(prefix):
        return None
    code = uri[len(prefix) :]
    return code if CODE_PATTERN.fullmatch(code) else None


def public_uri(lot: Lot) -> str | None:
    """The URI a QR code on this lot carries: its GS1 Digital Link on the platform's own
    host (so a scan reaches the resolver here), or its platform URI; None when the lot has
    no identifier a phone could open (a bare urn:uuid:, say)."""
    if platform_code_of(lot.epc):
        return lot.epc
    if lot.epc.startswith("https://id.gs1.org/"):
        try:
            link = parse_digital_link(lot.epc)
        except IdentifierError:
            return None
        return link.uri(settings.PUBLIC_BASE_URL)
    return None


def gs1_epc(path: str) -> str | None:
    """The canonical identifier for a Digital Link path such as `01/…/10/…`, or None."""
    try:
        return canonical_epc(f"https://id.gs1.org/{path.strip('/')}")
    except IdentifierError:
        return None


def organization_uri(organization: Organization) -> str:
    """How events name an organization as a party (source/destination lists): its party
    GLN when it has one, else its page on the platform."""
    if organization.gln:
        return f"https://id.gs1.org/417/{organization.gln}"
    return f"{settings.PUBLIC_BASE_URL}/org/{organization.pk}"


def organizations_for_parties(uris: set[str]) -> dict[str, Organization]:
    """The organizations that party or location URIs name, by URI (unknown URIs left out).

    Accepts a party GLN (AI 417), a location GLN (AI 414, with or without extension, via
    the organization or one of its facilities), a facility's platform location URI and an
    organization's platform URI, in any spelling `canonical_epc` reads.
    """
    found: dict[str, Organization] = {}
    glns: dict[str, list[str]] = {}
    platform_ids: dict[int, list[str]] = {}
    location_uuids: dict[str, list[str]] = {}
    org_prefix = f"{settings.PUBLIC_BASE_URL}/org/"
    location_prefix = f"{settings.PUBLIC_BASE_URL}/loc/"
    for uri in uris:
        if uri.startswith(org_prefix) and uri[len(org_prefix) :].isdigit():
            platform_ids.setdefault(int(uri[len(org_prefix) :]), []).append(uri)
            continue
        if uri.startswith(location_prefix):
            location_uuids.setdefault(uri[len(location_prefix) :], []).append(uri)
            continue
        try:
            canonical = canonical_epc(uri)
        except IdentifierError:
            continue
        parts = urlsplit(canonical).path.strip("/").split("/")
        if canonical.startswith("https://id.gs1.org/") and parts[0] in ("414", "417"):
            glns.setdefault(parts[1], []).append(uri)
    for organization in Organization.objects.filter(pk__in=platform_ids):
        for uri in platform_ids[organization.pk]:
            found[uri] = organization
    if glns:
        for organization in Organization.objects.filter(gln__in=glns):
            for uri in glns[organization.gln]:
                found[uri] = organization
        for facility in Facility.objects.filter(gln__in=glns).select_related("organization"):
            for uri in glns[facility.gln]:
                found.setdefault(uri, facility.organization)
    if location_uuids:
        valid = [u for u in location_uuids if re.fullmatch(r"[0-9a-f-]{36}", u)]
        for facility in Facility.objects.filter(location_uuid__in=valid).select_related(
            "organization"
        ):
            for uri in location_uuids[str(facility.location_uuid)]:
                found[uri] = facility.organization
    return found


def facilities_for_locations(uris: set[str]) -> dict[str, Facility]:
    """The facilities that read-point / business-location URIs name, by URI."""
    found: dict[str, Facility] = {}
    location_prefix = f"{settings.PUBLIC_BASE_URL}/loc/"
    by_uuid: dict[str, list[str]] = {}
    by_gln: dict[str, list[str]] = {}
    for uri in uris:
        if not uri:
            continue
        if uri.startswith(location_prefix):
            key = uri[len(location_prefix) :]
            if re.fullmatch(r"[0-9a-f-]{36}", key):
                by_uuid.setdefault(key, []).append(uri)
            continue
        try:
            canonical = canonical_epc(uri)
        except IdentifierError:
            continue
        parts = urlsplit(canonical).path.strip("/").split("/")
        if canonical.startswith("https://id.gs1.org/414/"):
            by_gln.setdefault(parts[1], []).append(uri)
    facilities = Facility.objects.select_related("ward", "ward__province", "organization")
    if by_uuid:
        for facility in facilities.filter(location_uuid__in=list(by_uuid)):
            for uri in by_uuid[str(facility.location_uuid)]:
                found[uri] = facility
    if by_gln:
        for facility in facilities.filter(gln__in=list(by_gln)):
            for uri in by_gln[facility.gln]:
                found[uri] = facility
    return found
