from typing import Any

from django.http import HttpRequest

from coopchain.parties.tenancy import grants_for


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_roles": grants_for(user).roles}
