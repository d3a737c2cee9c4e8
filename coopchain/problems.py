"""RFC 9457 problem details: the one shape every API error takes."""

from typing import Any

from django.http import HttpRequest, JsonResponse

from coopchain.errors import CoopChainError, FieldError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://coopchain.readthedocs.io/problems/"


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    type_slug: str,
    detail: str = "",
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + type_slug,
        "title": title,
        "status": status,
        "detail": detail or title,
        "instance": request.path,
    }
    if errors:
        body["errors"] = [error.as_dict() for error in errors]
    if extra:
        body.update(extra)
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def problem_from_error(request: HttpRequest, error: CoopChainError) -> JsonResponse:
    return problem_response(
        request,
        status=error.status,
        title=error.title,
        type_slug=error.type_slug,
        detail=error.detail,
        errors=error.errors,
    )
