"""The JSON API at /api/v1/: one NinjaAPI, one auth, one error shape (RFC 9457)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from coopchain.accounts.services import user_for_token
from coopchain.errors import CoopChainError, FieldError
from coopchain.problems import problem_from_error, problem_response


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's own session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="CoopChain API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _location(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports ("body", "payload", "field") or ("query", "name"); users know the field.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "request"


@api.exception_handler(CoopChainError)
def _domain_error(request: HttpRequest, exc: CoopChainError) -> HttpResponse:
    return problem_from_error(request, exc)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        FieldError(field=_location(e.get("loc", ())), reason=e.get("msg", "invalid"))
        for e in exc.errors
    ]
    return problem_response(
        request,
        status=400,
        title="Invalid input",
        type_slug="invalid-input",
        detail="; ".join(f"{e.field}: {e.reason}" for e in errors),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problem_response(
        request,
        status=401,
        title="Not authenticated",
        type_slug="not-authenticated",
        detail="Send a bearer token (Authorization: Bearer …) or log in.",
    )
    response.headers["WWW-Authenticate"] = 'Bearer realm="coopchain"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(
        request,
        status=exc.status_code,
        title=str(exc.message),
        type_slug=f"http-{exc.status_code}",
    )


def _register_routers() -> None:
    from coopchain.accounts.api import router as accounts_router
    from coopchain.compliance.api import router as compliance_router
    from coopchain.contracts.api import router as contracts_router
    from coopchain.dairy.api import router as dairy_router
    from coopchain.diary.api import router as diary_router
    from coopchain.land.api import router as land_router
    from coopchain.monitoring.api import router as monitoring_router
    from coopchain.parties.api import router as parties_router
    from coopchain.trace.api import router as trace_router

    api.add_router("/accounts/", accounts_router)
    api.add_router("/", parties_router)
    api.add_router("/", land_router)
    api.add_router("/", diary_router)
    api.add_router("/", dairy_router)
    api.add_router("/", compliance_router)
    api.add_router("/", contracts_router)
    api.add_router("/", trace_router)
    api.add_router("/", monitoring_router)


_register_routers()
