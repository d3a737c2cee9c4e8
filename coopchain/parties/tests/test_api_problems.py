"""The API's answers: problem details (RFC 9457) for every error, paginated and filtered lists."""

from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import BaseModel

from coopchain.accounts.services import issue_api_token
from coopchain.parties import services
from coopchain.parties.models import Member
from coopchain.parties.tests.factories import MemberFactory

PROBLEM = "application/problem+json"


@pytest.fixture
def api_client(client, manager):
    _token, secret = issue_api_token(user=manager)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def post_member(api_client, coop, **fields):
    body = {"code": "TV0500", "head_of_household": "Y Bhim Niê", "joined_on": "2024-03-01"}
    body.update(fields)
    return api_client.post(
        f"/api/v1/organizations/{coop.pk}/members", body, content_type="application/json"
    )


def test_a_member_refused_by_the_rules_names_each_field_and_reason(api_client, coop):
    response = post_member(api_client, coop, phone="12", national_id="123", head_of_household=" ")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 400
    assert problem["type"].endswith("/invalid-input")
    assert problem["instance"] == f"/api/v1/organizations/{coop.pk}/members"
    reasons = {e["field"]: e["reason"] for e in problem["errors"]}
    assert set(reasons) == {"phone", "national_id", "head_of_household"}
    assert all(reason.strip() for reason in reasons.values())
    assert not Member.objects.exists()


def test_a_malformed_member_names_the_field_the_schema_refused(api_client, coop):
    response = post_member(api_client, coop, joined_on="the first of March", code=None)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"joined_on", "code"}
    assert "joined_on" in response.json()["detail"]


def test_a_body_that_is_not_json_is_a_problem_too(api_client, coop):
    response = api_client.post(
        f"/api/v1/organizations/{coop.pk}/members", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_a_duplicate_member_code_is_a_conflict(api_client, coop, member):
    response = post_member(api_client, coop, code=member.code)

    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 409


@pytest.mark.parametrize("path", ["/api/v1/members", "/api/v1/accounts/me"])
def test_no_credentials_is_a_401_problem(client, db, path):
    response = client.get(path)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["type"].endswith("/not-authenticated")
    assert "Bearer" in response["WWW-Authenticate"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/members/999999", "/api/v1/organizations/999999", "/api/v1/admin-units/99999"],
)
def test_something_that_is_not_there_is_a_404_problem(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Not found"
    assert response.json()["instance"] == path


def test_a_path_that_names_no_operation_is_not_found(api_client):
    assert api_client.get("/api/v1/no-such-thing").status_code == 404


def test_the_openapi_description_and_the_docs_are_served(client, db):
    description = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert description.status_code == 200
    assert "/api/v1/members" in description.json()["paths"]
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_members_come_in_pages_with_their_count(api_client, coop):
    MemberFactory.create_batch(7, organization=coop)

    first = api_client.get("/api/v1/members", {"page_size": 5}).json()
    second = api_client.get("/api/v1/members", {"page_size": 5, "page": 2}).json()

    assert first["count"] == second["count"] == 7
    assert len(first["items"]) == 5
    assert len(second["items"]) == 2
    assert {m["id"] for m in first["items"]}.isdisjoint({m["id"] for m in second["items"]})


def test_members_are_found_by_a_name_typed_without_accents(api_client, coop, member):
    MemberFactory(organization=coop, head_of_household="Nguyễn Văn Hùng")

    found = api_client.get("/api/v1/members", {"q": "nguyen thi dao"}).json()

    assert found["count"] == 1
    assert found["items"][0]["head_of_household"] == "Nguyễn Thị Đào"


def test_members_are_filtered_by_membership_status(api_client, coop, manager, member):
    gone = MemberFactory(organization=coop, head_of_household="Phạm Văn Đi")
    services.record_member_leaving(member=gone, left_on=date(2024, 1, 1), reason="", by=manager)

    active = api_client.get("/api/v1/members", {"status": "active"}).json()
    left = api_client.get("/api/v1/members", {"status": "left"}).json()

    assert [m["id"] for m in active["items"]] == [member.pk]
    assert [m["id"] for m in left["items"]] == [gone.pk]
    assert left["items"][0]["is_member"] is False


def test_organizations_are_paginated_too(api_client, coop):
    listed = api_client.get("/api/v1/organizations").json()

    assert listed["count"] == 1
    assert listed["items"][0]["name"] == coop.name


def _pydantic_classes(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _pydantic_classes(sub)


def test_each_schema_in_the_openapi_description_is_one_class(client, db):
    """Schemas are named by class; two classes of one name would show clients the wrong one."""
    described = set(client.get("/api/v1/openapi.json").json()["components"]["schemas"])
    classes: dict[str, set[str]] = {}
    for cls in set(_pydantic_classes(BaseModel)):
        if cls.__module__.startswith("coopchain."):
            classes.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")

    shared = {name: sorted(classes[name]) for name in described if len(classes.get(name, ())) > 1}

    assert not shared, f"one name, several classes: {shared}"
