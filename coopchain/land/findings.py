"""Geometry findings from `coopchain.lib.geometry`, in the user's language and in the
project's error shape."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext

from coopchain.errors import FieldError
from coopchain.lib.geometry import Finding


def reason(finding: Finding) -> str:
    """The finding's reason, translated (the library marks its messages for extraction)."""
    return gettext(finding.message) % dict(finding.params)


def where(finding: Finding, prefix: str = "geometry") -> str:
    """The input the finding points at: "geometry.coordinates[0][3]", or "declared_area_ha"."""
    if finding.field != "geometry":
        return finding.field
    if not prefix:
        return finding.path or "geometry"
    return f"{prefix}.{finding.path}" if finding.path else prefix


def as_field_errors(
    findings: Iterable[Finding], *, row: int | None = None, prefix: str = "geometry"
) -> list[FieldError]:
    return [FieldError(where(f, prefix), reason(f), row=row) for f in findings]


def shown(stored: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Findings stored on a plot, ready for a page or an API answer."""
    findings = [Finding.from_dict(data) for data in stored]
    return [
        {"code": f.code, "severity": f.severity, "where": where(f), "reason": reason(f)}
        for f in findings
    ]
