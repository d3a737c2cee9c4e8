from typing import Any

from django import template

from coopchain.monitoring import drilldown, selectors

register = template.Library()


@register.inclusion_tag("monitoring/_province.html")
def province_dashboard(province_code: str) -> dict[str, Any]:
    """The province dashboard inside the officer's home; the home shows it only to officers of
    that province."""
    return drilldown.dashboard_page(selectors.province_dashboard(province_code))
