"""What the public trace page says of certifications and eligibility comes from the claims
computed here, never from anything typed on the lot."""

from datetime import date
from urllib.parse import urlsplit

from coopchain.compliance.models import Standard
from coopchain.compliance.tests.test_claims_and_readiness import certify
from coopchain.diary.tests.factories import make_product, spray
from coopchain.trace.catalog import publish_lot
from coopchain.trace.identifiers import public_uri


def public_page(client, lot, manager):
    publish_lot(lot=lot, published=True, by=manager)
    return client.get(urlsplit(public_uri(lot)).path, HTTP_ACCEPT_LANGUAGE="en")


def test_the_public_page_names_the_certification_the_lot_may_carry(
    client, coop, manager, coffee_plot, harvest_lot
):
    certify(coop, manager, [coffee_plot], standard=Standard.FOUR_C)

    page = public_page(client, harvest_lot, manager).content.decode()

    certifications = page[page.index('id="certifications"') :]
    assert str(Standard.FOUR_C.label) in certifications[: certifications.index("</section>")]
    assert 'id="claims-notice"' not in page


def test_the_public_page_says_why_a_lot_with_a_banned_spray_claims_nothing(
    client, coop, manager, coffee_plot
):
    from coopchain.compliance.tests.support import harvest

    certify(coop, manager, [coffee_plot], standard=Standard.FOUR_C)
    paraquat = make_product(
        "Paraquat test 276 SL", kind="herbicide", banned=True, banned_reason="Banned"
    )
    spray(organization=coop, plot=coffee_plot, product=paraquat, on=date(2025, 10, 1), by=manager)
    lot = harvest(coffee_plot, by=manager, on=date(2025, 11, 10))

    response = public_page(client, lot, manager)
    page = response.content.decode()

    assert 'id="claims-notice"' in page
    assert "Paraquat test 276 SL" in page
    assert "cannot carry certified claims" in page
    assert response.status_code == 200
    body = page[page.index('id="certifications"') :]
    assert str(Standard.FOUR_C.label) not in body[: body.index("</section>")]


def test_a_lots_page_shows_its_claims_and_export_readiness(
    client, coop, manager, coffee_plot, harvest_lot
):
    certify(coop, manager, [coffee_plot], standard=Standard.FOUR_C)
    client.force_login(manager)

    page = client.get(f"/trace/lots/{harvest_lot.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    body = page.content.decode()
    assert 'id="lot-compliance"' in body
    assert str(Standard.FOUR_C.label) in body
    assert 'data-market="eu"' in body
