"""Personal API tokens: issued once, stored only as a hash, usable as Bearer, revocable."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from coopchain.accounts.models import ApiToken
from coopchain.accounts.services import issue_api_token, revoke_api_token

ME = "/api/v1/accounts/me"


def token_from_command(username: str) -> str:
    out = io.StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_from_the_command_line_acts_as_its_user(client, manager, coop):
    secret = token_from_command("manager")

    response = client.get(ME, **bearer(secret))

    assert response.status_code == 200
    assert response.json() == {
        "username": "manager",
        "roles": [{"organization_id": coop.pk, "organization": coop.name, "role": "manager"}],
    }


def test_only_the_hash_of_a_token_is_stored(manager):
    secret = token_from_command("manager")

    token = ApiToken.objects.get(user=manager)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(secret in value for value in stored)
    assert secret.startswith(token.prefix)


def test_a_revoked_token_gets_a_401_problem(client, manager):
    token, secret = issue_api_token(user=manager, name="milk app")
    revoke_api_token(user=manager, token_id=token.pk)

    response = client.get(ME, **bearer(secret))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer cc_made-up-token", "Bearer ", "Basic bWFuYWdlcjpwYXNzd29yZA==", "cc_no-scheme"],
)
def test_a_made_up_or_malformed_token_gets_a_401_problem(client, manager, header):
    response = client.get(ME, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_of_a_deactivated_user_stops_working(client, manager):
    secret = token_from_command("manager")
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    assert client.get(ME, **bearer(secret)).status_code == 401


def test_the_tokens_page_creates_a_token_shown_once_and_revokes_it(client, manager):
    client.force_login(manager)

    created = client.post(reverse("accounts:tokens"), {"name": "Sổ sữa trên điện thoại"})
    secret = created.context["new_secret"]
    assert secret in created.content.decode()
    assert client.get(reverse("accounts:tokens")).content.decode().count(secret) == 0

    token = ApiToken.objects.get(user=manager)
    assert token.name == "Sổ sữa trên điện thoại"
    client.logout()
    assert client.get(ME, **bearer(secret)).status_code == 200

    client.force_login(manager)
    revoked = client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert revoked.status_code == 302
    client.logout()
    assert client.get(ME, **bearer(secret)).status_code == 401


def test_nobody_can_revoke_another_users_token(client, manager, other_manager):
    token, secret = issue_api_token(user=manager, name="milk app")
    client.force_login(other_manager)

    response = client.post(reverse("accounts:revoke_token", args=[token.pk]))

    assert response.status_code == 404
    client.logout()
    assert client.get(ME, **bearer(secret)).status_code == 200


def test_the_tokens_page_lists_only_ones_own_tokens(client, manager, other_manager):
    issue_api_token(user=manager, name="manager's app")
    issue_api_token(user=other_manager, name="other cooperative's app")
    client.force_login(manager)

    page = client.get(reverse("accounts:tokens")).content.decode()

    assert "manager&#x27;s app" in page
    assert "other cooperative" not in page


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "nobody", stdout=io.StringIO())
