"""Password guessing stops working: a username is locked after too many failed logins."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coopchain.accounts.models import LoginFailure
from coopchain.parties.tests.factories import PASSWORD

LOCKED = "Too many failed logins"


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def log_in(client, password, username="manager"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def fail_until_locked(client, settings, username="manager"):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(client, "a guess", username=username)
        assert response.status_code == 400


def test_the_right_password_is_refused_once_the_limit_is_reached(english, manager, settings):
    fail_until_locked(english, settings)

    response = log_in(english, PASSWORD)

    assert response.status_code == 400
    assert LOCKED in response.content.decode()
    assert f"locked for {settings.LOGIN_LOCKOUT_MINUTES} minutes" in response.content.decode()
    assert "_auth_user_id" not in english.session


def test_fewer_failures_than_the_limit_still_let_the_owner_in(english, manager, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert "not right" in log_in(english, "a guess").content.decode()

    response = log_in(english, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_the_account_opens_again_once_the_window_has_passed(english, manager, settings):
    fail_until_locked(english, settings)
    assert LOCKED in log_in(english, PASSWORD).content.decode()

    window_ago = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1)
    LoginFailure.objects.update(failed_at=window_ago)
    response = log_in(english, PASSWORD)

    assert response.status_code == 302
    assert english.session["_auth_user_id"] == str(manager.pk)


def test_a_shorter_window_in_the_settings_ends_the_lock_sooner(english, manager, settings):
    fail_until_locked(english, settings)
    LoginFailure.objects.update(failed_at=timezone.now() - timedelta(minutes=3))

    assert LOCKED in log_in(english, PASSWORD).content.decode()
    settings.LOGIN_LOCKOUT_MINUTES = 2
    assert log_in(english, PASSWORD).status_code == 302


def test_changing_the_case_of_the_username_does_not_reset_the_count(english, manager, settings):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(english, "a guess", username="Manager" if attempt % 2 else "MANAGER")

    assert LOCKED in log_in(english, PASSWORD).content.decode()


def test_a_successful_login_clears_earlier_failures(english, manager, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(english, "a guess")
    assert log_in(english, PASSWORD).status_code == 302
    english.logout()

    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        log_in(english, "a guess")

    assert log_in(english, PASSWORD).status_code == 302


def test_one_locked_username_does_not_lock_another(english, manager, staff, settings):
    fail_until_locked(english, settings, username="manager")

    assert log_in(english, PASSWORD, username="staff").status_code == 302
