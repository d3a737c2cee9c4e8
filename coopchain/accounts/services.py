import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from coopchain.accounts.models import ApiToken, LoginFailure
from coopchain.errors import InvalidInput, NotFound

TOKEN_PREFIX = "cc_"  # noqa: S105 - a marker that tells tokens apart, not a secret


def _digest(token: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: AbstractBaseUser, name: str = "API") -> tuple[ApiToken, str]:
    """Create a token for `user`; the returned secret is never stored and cannot be shown again."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:80] or "API", prefix=secret[:10], digest=_digest(secret)
    )
    return token, secret


def user_for_token(secret: str) -> Any | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_api_token(*, user: AbstractBaseUser, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(detail="No token matches.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def is_locked_out(username: str) -> bool:
    window_start = timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(username__iexact=username, failed_at__gte=window_start)
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def log_in(*, request: HttpRequest, username: str, password: str) -> Any:
    """Check a username and password, counting failures; raise InvalidInput with the reason.

    A locked-out username is refused before the password is checked, so guessing stops
    working even with the right password until the window has passed.
    """
    username = username.strip()
    if is_locked_out(username):
        raise InvalidInput(
            detail=_("Too many failed logins. This account is locked for %(minutes)d minutes.")
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, ip_address=_client_ip(request))
        raise InvalidInput(detail=_("The username or password is not right."))
    LoginFailure.objects.filter(username__iexact=username).delete()
    return user


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
