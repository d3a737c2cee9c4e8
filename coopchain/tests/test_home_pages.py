"""Each role's home page: a cooperative's gathers its records and what needs attention."""

from datetime import timedelta

from django.utils import timezone

from coopchain.compliance.models import Standard
from coopchain.compliance.tests.support import make_plot
from coopchain.compliance.tests.test_claims_and_readiness import certify
from coopchain.diary.tests.factories import make_product, spray


def test_a_cooperative_manager_sees_counts_and_what_needs_attention(client, coop, manager, member):
    today = timezone.localdate()
    plot = make_plot(member, "EA-01", by=manager)
    paraquat = make_product(
        "Paraquat test 276 SL", kind="herbicide", banned=True, banned_reason="Banned"
    )
    spray(organization=coop, plot=plot, product=paraquat, on=today, by=manager)
    certify(coop, manager, [plot], standard=Standard.FOUR_C, valid_to=today + timedelta(days=20))
    client.force_login(manager)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    start = page.index('id="attention"')
    attention = page[start : page.index("</section>", start)]
    # the banned product, and a pesticide with no interval listed for the crop
    assert "2 farm diary findings in the last 30 days" in attention
    assert "expires in 20 days" in attention
    assert '<span class="figure" id="active-members">1</span>' in page


def test_a_farmer_sees_their_household_not_the_cooperatives_figures(client, farmer, member):
    client.force_login(farmer)

    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert member.head_of_household in page
    assert 'id="attention"' not in page
    assert f'href="/contracts/members/{member.pk}/passbook"' in page
    assert client.get(f"/contracts/members/{member.pk}/passbook").status_code == 200


def test_the_menu_offers_a_manager_the_rating_and_an_officer_the_province(
    client, manager, officer, farmer
):
    for user, sees in ((manager, True), (officer, True), (farmer, False)):
        client.force_login(user)
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert ('href="/monitoring/"' in page) is sees, user.username
