from django.http import HttpRequest
from ninja import Router, Schema

from coopchain.parties.tenancy import grants_for

router = Router(tags=["accounts"])


class RoleOut(Schema):
    organization_id: int
    organization: str
    role: str


class MeOut(Schema):
    username: str
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="Who the token or session belongs to")
def me(request: HttpRequest) -> dict:
    return {
        "username": request.user.get_username(),
        "roles": [
            {
                "organization_id": r.organization_id,
                "organization": r.organization.name,
                "role": r.name,
            }
            for r in grants_for(request.user).roles
        ],
    }
