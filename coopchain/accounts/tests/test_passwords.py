"""Passwords are stored with Argon2 and must not be trivial.

Tests hash with MD5 for speed (see conftest), so these read the real settings module itself.
"""

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

import coopchain.settings as real_settings
from coopchain.parties.tests.factories import PASSWORD

real_hashing = override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS)
real_validators = override_settings(AUTH_PASSWORD_VALIDATORS=real_settings.AUTH_PASSWORD_VALIDATORS)


def test_argon2_is_the_hasher_new_passwords_get():
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    with real_hashing:
        encoded = make_password("mật khẩu của hộ Đào")
        assert encoded.startswith("argon2$argon2id$")
        assert check_password("mật khẩu của hộ Đào", encoded)


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_login(client, manager):
    with real_hashing:
        # As an import from another system, or an older CoopChain, might leave it.
        manager.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        manager.save(update_fields=["password"])

        response = client.post(
            reverse("accounts:login"), {"username": "manager", "password": PASSWORD}
        )

        assert response.status_code == 302
        manager.refresh_from_db()
        assert manager.password.startswith("argon2$")


@pytest.mark.parametrize("password", ["12345678", "password", "abc", "htx"])
def test_trivial_passwords_are_refused(password):
    with real_validators, pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_unusual_passphrase_is_accepted():
    with real_validators:
        validate_password("sữa tươi Ba Vì mỗi sáng 5 giờ")
