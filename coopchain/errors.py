"""The project's own error types. Services raise them; one handler per interface renders them
(problem details for the API, a page for the web)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One reason one input was refused: where (field, and row for files), what, why."""

    field: str
    reason: str
    value: Any = None
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "reason": self.reason}
        if self.value is not None:
            data["value"] = self.value
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class CoopChainError(Exception):
    detail: str = ""
    errors: list[FieldError] = field(default_factory=list)

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __post_init__(self) -> None:
        super().__init__(self.detail)

    def __str__(self) -> str:
        return self.detail or self.title


class InvalidInput(CoopChainError):
    title = "Invalid input"
    type_slug = "invalid-input"


class NotFound(CoopChainError):
    """Also raised for objects that exist but are not the asker's: no existence leak."""

    status = 404
    title = "Not found"
    type_slug = "not-found"


class Forbidden(CoopChainError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class Conflict(CoopChainError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class NotAuthenticated(CoopChainError):
    status = 401
    title = "Not authenticated"
    type_slug = "not-authenticated"


def invalid(field_name: str, reason: str, value: Any = None) -> InvalidInput:
    """Shorthand for the common case of a single refused field."""
    return InvalidInput(
        detail=f"{field_name}: {reason}", errors=[FieldError(field_name, reason, value)]
    )
