import json
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopchain.lib import gs1
from coopchain.lib.gs1 import IdentifierError
from coopchain.lib.tests import shared_dir

# --- check digits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "09521568251204",  # GTIN-14 from the GS1 Digital Link examples
        "4012345000009",  # GLN used throughout the EPCIS examples
        "4006381333931",  # GTIN-13
        "036000291452",  # GTIN-12 (UPC-A)
        "96385074",  # GTIN-8
        "106141411234567897",  # SSCC from the GS1 General Specifications
        "8935049500018",  # a Vietnamese (893) GTIN-13
    ],
)
def test_published_keys_carry_valid_check_digits(code):
    assert gs1.has_valid_check_digit(code)
    assert gs1.check_digit(code[:-1]) == code[-1]
    assert gs1.verify_check_digit(code) == code


def test_a_wrong_check_digit_names_the_expected_one():
    with pytest.raises(IdentifierError, match="bad check digit: expected 4, got 5"):
        gs1.verify_check_digit("09521568251205", label="GTIN")
    assert not gs1.has_valid_check_digit("09521568251205")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09521568251204", "09521568251204"),
        ("4006381333931", "04006381333931"),
        ("036000291452", "00036000291452"),
        ("96385074", "00000096385074"),
        (" 8935049500018\n", "08935049500018"),
    ],
)
def test_every_gtin_length_normalises_to_fourteen_digits(value, expected):
    assert gs1.normalise_gtin(value) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("4006381333932", "GTIN 4006381333932: bad check digit: expected 1, got 2"),
        ("40063813339", "has 11 digits; expected 8, 12, 13 or 14"),
        ("400638133393A", "must contain only the digits 0-9"),
        ("4006-38133393", "must contain only the digits 0-9"),
        ("٤٠٠٦٣٨١٣٣٣٩٣١", "must contain only the digits 0-9"),  # Arabic-Indic digits
        ("", "must contain only the digits 0-9"),
    ],
)
def test_a_bad_gtin_is_rejected_with_its_reason(value, reason):
    with pytest.raises(IdentifierError, match=reason):
        gs1.normalise_gtin(value)


def test_glns_and_ssccs_are_checked_for_length_and_check_digit():
    assert gs1.normalise_gln("4012345000009") == "4012345000009"
    assert gs1.normalise_sscc("106141411234567897") == "106141411234567897"
    with pytest.raises(IdentifierError, match="has 14 digits; expected 13"):
        gs1.normalise_gln("04012345000009")
    with pytest.raises(IdentifierError, match="bad check digit: expected 7, got 8"):
        gs1.normalise_sscc("106141411234567898")


# --- EPC URN and Digital Link, both ways -----------------------------------------------

# (EPC URN, canonical Digital Link); the pairs come from the CBV 2.0 event-hash vectors.
URN_AND_LINK = [
    ("urn:epc:id:sgtin:4012345.011111.9876", "https://id.gs1.org/01/04012345111118/21/9876"),
    ("urn:epc:id:sgtin:415056789012.0.987654", "https://id.gs1.org/01/04150567890128/21/987654"),
    ("urn:epc:class:lgtin:4012345.012345.Lot987", "https://id.gs1.org/01/04012345123456/10/Lot987"),
    ("urn:epc:idpat:sgtin:4054739.099914.*", "https://id.gs1.org/01/04054739999148"),
    ("urn:epc:id:sscc:4012345.3111111111", "https://id.gs1.org/00/340123451111111111"),
    ("urn:epc:id:sgln:4012345.00005.122", "https://id.gs1.org/414/4012345000054/254/122"),
    ("urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054"),
    ("urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455"),
    ("urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663"),
    ("urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345"),
    ("urn:epc:id:pgln:4000001.00000", "https://id.gs1.org/417/4000001000005"),
    ("urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994"),
    ("urn:epc:id:gsrn:4012345.0000006765", "https://id.gs1.org/8018/401234500000067657"),
    ("urn:epc:id:gsrnp:4012345.0000000007", "https://id.gs1.org/8017/401234500000000074"),
    ("urn:epc:id:gdti:4012345.00009.PO-4711", "https://id.gs1.org/253/4012345000092PO-4711"),
    ("urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929"),
    ("urn:epc:id:gsin:4012345.222333444", "https://id.gs1.org/402/40123452223334442"),
    ("urn:epc:id:ginc:0614141.xyz47%2F11", "https://id.gs1.org/401/0614141xyz47%2F11"),
    (
        "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
        "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
    ),
    (
        "urn:epc:id:itip:4012345.011111.01.02.987",
        "https://id.gs1.org/8006/040123451111180102/21/987",
    ),
    (
        "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
        "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
    ),
]


@pytest.mark.parametrize(("urn", "link"), URN_AND_LINK)
def test_an_epc_urn_becomes_its_digital_link_and_back(urn, link):
    assert gs1.urn_to_digital_link(urn) == link
    assert gs1.canonical_epc(urn) == link
    prefix_length = len(urn.split(":")[4].split(".")[0])
    assert gs1.digital_link_to_urn(link, company_prefix_length=prefix_length) == urn


def test_the_company_prefix_length_decides_where_a_urn_splits():
    link = "https://id.gs1.org/01/08935049500018/10/HX-2025%2F07"
    assert gs1.digital_link_to_urn(link) == "urn:epc:class:lgtin:8935049.050001.HX-2025%2F07"
    assert (
        gs1.digital_link_to_urn(link, company_prefix_length=9)
        == "urn:epc:class:lgtin:893504950.0001.HX-2025%2F07"
    )
    with pytest.raises(IdentifierError, match="company prefix length 13 must be 6 to 12"):
        gs1.digital_link_to_urn(link, company_prefix_length=13)


def test_urns_are_built_from_plain_keys():
    assert gs1.sgtin_urn("4012345111118", "9876") == "urn:epc:id:sgtin:4012345.011111.9876"
    assert gs1.lgtin_urn("04012345123456", "L/7") == "urn:epc:class:lgtin:4012345.012345.L%2F7"
    assert gs1.gtin_pattern_urn("04054739999148") == "urn:epc:idpat:sgtin:4054739.099914.*"
    assert gs1.sscc_urn("340123451111111111") == "urn:epc:id:sscc:4012345.3111111111"
    assert gs1.sgln_urn("4012345000054") == "urn:epc:id:sgln:4012345.00005.0"
    assert gs1.sgln_urn("4012345000054", "122") == "urn:epc:id:sgln:4012345.00005.122"
    assert gs1.grai_urn("04012345000221334455") == "urn:epc:id:grai:4012345.00022.334455"
    assert gs1.giai_urn("4012345ABC345") == "urn:epc:id:giai:4012345.ABC345"


def test_digital_links_are_built_on_any_host():
    assert (
        gs1.gtin_link("4012345111118", lot="L1", serial="9")
        == "https://id.gs1.org/01/04012345111118/10/L1/21/9"
    )
    assert gs1.gtin_link("4012345111118", lot="L1") == "https://id.gs1.org/01/04012345111118/10/L1"
    assert (
        gs1.gln_link("4012345000054", "122", host="https://trace.coop.example/")
        == "https://trace.coop.example/414/4012345000054/254/122"
    )
    assert gs1.sscc_link("340123451111111111") == "https://id.gs1.org/00/340123451111111111"
    with pytest.raises(IdentifierError, match="characters GS1 does not allow"):
        gs1.gtin_link("4012345111118", lot="A 1")  # a space is outside GS1 set 82


# --- one canonical form -----------------------------------------------------------------

SPELLINGS_OF_ONE_SGTIN = [
    "urn:epc:id:sgtin:4012345.011111.9876",
    "URN:EPC:ID:SGTIN:4012345.011111.9876",
    "https://id.gs1.org/01/04012345111118/21/9876",
    "http://id.gs1.org/01/04012345111118/21/9876/",
    "https://example.com/01/4012345111118/21/9876",  # GTIN-13 on a brand's domain
    "https://brand.example/products/gtin/04012345111118/ser/9876?17=250101",
    "https://id.gs1.org/01/04012345111118/10/LOT1/21/9876",  # the lot adds nothing to an SGTIN
    "https://id.gs1.org/01/04012345111118/21/%39876#label",
    "  https://id.gs1.org/01/04012345111118/21/9876\n",
]


@pytest.mark.parametrize("spelling", SPELLINGS_OF_ONE_SGTIN)
def test_every_spelling_of_an_sgtin_canonicalises_to_one_uri(spelling):
    assert gs1.canonical_epc(spelling) == "https://id.gs1.org/01/04012345111118/21/9876"


def test_lots_are_percent_encoded_once_and_decoded_for_reading():
    spellings = [
        "urn:epc:class:lgtin:4012345.012345.L%2F23!",
        "https://id.gs1.org/01/04012345123456/10/L%2f23%21",
        "https://example.com/01/04012345123456/10/L%2F23!",
    ]
    canonical = {gs1.canonical_epc(s) for s in spellings}
    assert canonical == {"https://id.gs1.org/01/04012345123456/10/L%2F23%21"}
    assert gs1.lot_of(spellings[0]) == "L/23!"
    assert gs1.gtin_of(spellings[1]) == "04012345123456"


def test_a_serial_with_quotes_keeps_the_apostrophe_literal():
    # The CBV 2.0 hash vectors write ' literally and " as %22; the stored form follows.
    link = gs1.canonical_epc("urn:epc:id:sgtin:4012345.011111.It's%22")
    assert link == "https://id.gs1.org/01/04012345111118/21/It's%22"
    assert gs1.serial_of(link) == "It's\""


def test_query_string_attributes_are_kept_on_the_parsed_link_but_not_in_identity():
    link = gs1.parse_digital_link(
        "https://brand.example/01/09521568251204/10/B7?17=261231&linkType=gs1:pip"
    )
    assert (link.key, link.value, link.qualifiers) == ("01", "09521568251204", (("10", "B7"),))
    assert link.attributes == (("17", "261231"), ("linkType", "gs1:pip"))
    assert link.canonical().uri() == "https://id.gs1.org/01/09521568251204/10/B7"


@pytest.mark.parametrize(
    "uri",
    [
        "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        "https://trace.coop.example/lot/3f6c2d0e-5a1b-4c8e-9f00-12ab34cd56ef",
        "https://trace.coop.example/party/2b1c",  # a short name on our own site stays opaque
        "urn:epc:id:gid:95100000.12345.400",  # an EPC with no GS1 key
        "urn:epc:idpat:sgtin:4012345.*.*",  # a pattern wider than one class
        "geo:47.506694,11.104301",
    ],
)
def test_other_absolute_uris_pass_through_unchanged(uri):
    assert gs1.canonical_epc(uri) == uri
    assert gs1.epc_kind(uri) == "other"


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("https://id.gs1.org/01/04012345111119/21/1", "bad check digit: expected 8, got 9"),
        ("https://id.gs1.org/01/04012345111118/21/" + "x" * 21, "must be 1 to 20 characters"),
        ("https://id.gs1.org/01/04012345111118/21/a%C3%A9", "characters GS1 does not allow"),
        ("https://id.gs1.org/01/04012345111118/21/s/10/l", "must come in the order 22, 10, 21"),
        ("https://id.gs1.org/01/04012345111118/21/a%2", "does not start a %XX escape"),
        ("https://shop.example/00/12345", "SSCC '12345' must start with 18 digits"),
        ("urn:epc:id:sgtin:4012345.01111.9876", "must be 13 digits together"),
        ("urn:epc:id:sscc:4012345", "needs 2 dot-separated parts"),
        ("lot-42", "is not an absolute URI"),
        ("https://id.gs1.org/01/04012345111118 /21/1", "is not an absolute URI"),
        ("   ", "cannot be empty"),
    ],
)
def test_malformed_identifiers_are_rejected_with_a_reason(uri, reason):
    with pytest.raises(IdentifierError, match=reason):
        gs1.canonical_epc(uri)


@pytest.mark.parametrize(
    ("uri", "kind"),
    [
        ("urn:epc:id:sgtin:4012345.011111.9876", "sgtin"),
        ("https://id.gs1.org/01/04012345123456/10/Lot987", "lgtin"),
        ("urn:epc:idpat:sgtin:4054739.099914.*", "gtin"),
        ("https://example.com/00/340123451111111111", "sscc"),
        ("urn:epc:id:sgln:4012345.00005.122", "sgln"),
        ("urn:epc:id:grai:4012345.00022.334455", "grai"),
        ("urn:epc:id:giai:4012345.ABC345", "giai"),
        ("urn:epc:id:pgln:4000001.00000", "other"),
        ("https://id.gs1.org/01/01234567987651/235/51qIgY", "other"),
    ],
)
def test_epc_kind_tells_instances_from_classes(uri, kind):
    assert gs1.epc_kind(uri) == kind


def test_gtin_lot_and_serial_are_read_from_urns_and_links():
    assert gs1.gtin_of("urn:epc:id:sgtin:4012345.011111.9876") == "04012345111118"
    assert gs1.serial_of("urn:epc:id:sgtin:4012345.011111.9876") == "9876"
    assert gs1.lot_of("urn:epc:class:lgtin:4012345.012345.Lot987") == "Lot987"
    with pytest.raises(IdentifierError, match="carries no lot"):
        gs1.lot_of("urn:epc:id:sgtin:4012345.011111.9876")
    with pytest.raises(IdentifierError, match="does not identify a trade item"):
        gs1.gtin_of("urn:epc:id:sscc:4012345.3111111111")


def test_the_qualifier_table_matches_the_digital_link_identifier_list():
    path = shared_dir() / "gs1" / "digitallink" / "identifier-list.json"
    published = {
        entry["code"]: tuple(entry["keyQualifiers"])
        for entry in json.loads(path.read_text(encoding="utf-8"))
    }
    assert set(published) == set(gs1._PRIMARY)
    assert {key: q for key, q in published.items() if q} == gs1._QUALIFIERS


# --- round trips for generated keys -----------------------------------------------------

_SET_82 = sorted(gs1._XCHARS)
_text_82 = st.text(alphabet=_SET_82, min_size=1, max_size=20)


def _urn_text(value: str) -> str:
    # TDS 2.0: these characters stay literal in an EPC URN, everything else is %-escaped.
    return quote(value, safe="!'()*+,:;=")


@st.composite
def _prefix_and_rest(draw, total: int) -> tuple[str, str]:
    length = draw(st.integers(min_value=6, max_value=12))
    digits = draw(st.text(alphabet="0123456789", min_size=total, max_size=total))
    return digits[:length], digits[length:]


@st.composite
def _urns(draw) -> tuple[str, int]:
    kind = draw(st.sampled_from(["sgtin", "lgtin", "gtin", "sscc", "sgln", "grai", "giai"]))
    prefix, rest = draw(_prefix_and_rest(13 if kind in ("sgtin", "lgtin", "gtin") else 12))
    text = _urn_text(draw(_text_82))
    if kind == "sgtin":
        urn = f"urn:epc:id:sgtin:{prefix}.{rest}.{text}"
    elif kind == "lgtin":
        urn = f"urn:epc:class:lgtin:{prefix}.{rest}.{text}"
    elif kind == "gtin":
        urn = f"urn:epc:idpat:sgtin:{prefix}.{rest}.*"
    elif kind == "sscc":
        extension = draw(st.text(alphabet="0123456789", min_size=5, max_size=5))
        urn = f"urn:epc:id:sscc:{prefix}.{rest}{extension}"
    elif kind == "sgln":
        extension = draw(st.sampled_from(["0", text]))
        urn = f"urn:epc:id:sgln:{prefix}.{rest}.{extension}"
    elif kind == "grai":
        urn = f"urn:epc:id:grai:{prefix}.{rest}.{_urn_text(draw(_text_82)[:16])}"
    else:
        urn = f"urn:epc:id:giai:{prefix}.{text}"
    return urn, len(prefix)


@given(_urns())
def test_urn_to_digital_link_to_urn_round_trips(case):
    urn, prefix_length = case
    link = gs1.urn_to_digital_link(urn)
    assert link.startswith("https://id.gs1.org/")
    assert gs1.digital_link_to_urn(link, company_prefix_length=prefix_length) == urn
    assert gs1.canonical_epc(link) == link


@given(_prefix_and_rest(13), _text_82, st.sampled_from(["https://id.gs1.org", "https://x.vn/p"]))
def test_serials_survive_the_trip_through_a_digital_link(parts, serial, host):
    prefix, item = parts
    urn = f"urn:epc:id:sgtin:{prefix}.{item}.{_urn_text(serial)}"
    gtin = gs1.gtin_of(urn)
    link = gs1.gtin_link(gtin, serial=serial, host=host)
    assert gs1.serial_of(link) == serial
    assert gs1.canonical_epc(link) == gs1.canonical_epc(urn)
