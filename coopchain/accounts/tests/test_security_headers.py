"""What every response tells the browser, and the CSRF check on pages and the API."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.parties.models import Member
from coopchain.parties.tests.factories import PASSWORD

MEMBER_FORM = {
    "code": "TV0900",
    "head_of_household": "Hồ Thị Lan",
    "joined_on": date(2024, 3, 1).isoformat(),
}


@pytest.fixture
def csrf_client(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    return client


def assert_locked_down(response) -> None:
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_login_page_forbids_framing_sniffing_and_foreign_content(client, db):
    response = client.get(reverse("accounts:login"))

    assert response.status_code == 200
    assert_locked_down(response)


@pytest.mark.parametrize("path", ["/", "/members/", "/accounts/tokens/"])
def test_working_pages_forbid_framing_sniffing_and_foreign_content(client, manager, path):
    client.force_login(manager)

    response = client.get(path)

    assert response.status_code == 200
    assert_locked_down(response)


def test_the_session_cookie_is_out_of_reach_of_scripts(client, manager):
    client.post(reverse("accounts:login"), {"username": "manager", "password": PASSWORD})

    assert client.cookies["sessionid"]["httponly"]


def test_a_form_post_without_the_csrf_token_is_refused(csrf_client, coop):
    response = csrf_client.post(reverse("parties:member_create"), MEMBER_FORM)

    assert response.status_code == 403
    assert not Member.objects.exists()


def test_the_same_form_post_with_the_token_is_accepted(csrf_client, coop):
    csrf_client.get(reverse("parties:member_create"))
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        reverse("parties:member_create"), {**MEMBER_FORM, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Member.objects.get().head_of_household == "Hồ Thị Lan"


def test_the_api_refuses_a_session_post_without_csrf(csrf_client, coop):
    response = csrf_client.post(
        f"/api/v1/organizations/{coop.pk}/members",
        MEMBER_FORM,
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Member.objects.exists()


def test_the_api_takes_a_bearer_post_without_csrf(coop, manager):
    _token, secret = issue_api_token(user=manager)
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/api/v1/organizations/{coop.pk}/members",
        MEMBER_FORM,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )

    assert response.status_code == 201
    assert Member.objects.get().code == "TV0900"
