"""Audits and certificates through /api/v1/: corrective actions added and followed up, an audit
closed only when complete, a certificate changed, each refusal with its field."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coopchain.accounts.services import issue_api_token
from coopchain.compliance import services
from coopchain.compliance.models import AuditAnswer, Certificate, Checklist, Standard
from coopchain.compliance.tests.support import make_plot
from coopchain.parties.tests.factories import MemberFactory


def bearer(user):
    _token, secret = issue_api_token(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method, url, user, payload):
    return getattr(client, method)(
        url, json.dumps(payload), content_type="application/json", **bearer(user)
    )


@pytest.fixture
def audit(coop, member, manager):
    return services.start_audit(
        organization=coop,
        checklist=Checklist.objects.get(code="organic-crop-short"),
        member=member,
        audited_on=date(2025, 10, 6),
        auditor_name="Nguyễn Thị Hồng",
        by=manager,
    )


def test_an_audit_closes_through_the_api_once_its_finding_has_an_action(client, manager, audit):
    base = f"/api/v1/audits/{audit.pk}"
    finding = audit.checklist.points.get(code="O5")
    for point in audit.checklist.points.exclude(pk=finding.pk):
        services.answer_control_point(
            audit=audit, control_point=point, result=AuditAnswer.Result.COMPLIANT, by=manager
        )
    send(
        client,
        "post",
        f"{base}/answers",
        manager,
        {"control_point_id": finding.pk, "result": "no", "note": "No hedge on the east side"},
    )

    refused = send(client, "post", f"{base}/close", manager, {})
    assert refused.status_code == 400
    assert [e["field"] for e in refused.json()["errors"]] == ["actions"]

    added = send(
        client,
        "post",
        f"{base}/actions",
        manager,
        {
            "description": "Plant a hedge",
            "due_on": "2025-12-01",
            "control_point_id": finding.pk,
        },
    )
    assert added.status_code == 201
    closed = send(client, "post", f"{base}/close", manager, {"summary": "One finding"})
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["summary"]) == ("closed", "One finding")

    done = send(
        client,
        "post",
        f"{base}/actions/status",
        manager,
        {"action_id": added.json()["id"], "status": "done", "done_on": "2025-11-20"},
    )
    assert done.json()["status"] == "done"
    assert done.json()["done_on"] == "2025-11-20"


def test_an_action_due_before_the_audit_is_refused_with_its_field(client, manager, audit):
    response = send(
        client,
        "post",
        f"/api/v1/audits/{audit.pk}/actions",
        manager,
        {"description": "Plant a hedge", "due_on": "2025-01-01"},
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["due_on"]


def test_another_cooperative_cannot_close_the_audit(client, other_manager, audit):
    response = send(client, "post", f"/api/v1/audits/{audit.pk}/close", other_manager, {})

    assert response.status_code == 404


@pytest.fixture
def certificate(coop, member, manager):
    plot = make_plot(member, "EA-11", by=manager)
    return services.create_certificate(
        organization=coop,
        data=services.CertificateData(
            standard=Standard.RAINFOREST,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number="RA-2024-7",
            certifier_name="An Tâm",
            valid_from=date(2024, 3, 1),
            valid_to=date(2026, 2, 28),
            plot_ids=(plot.pk,),
        ),
        by=manager,
    )


def payload(certificate, **changes):
    values = {
        "standard": certificate.standard,
        "holder_kind": certificate.holder_kind,
        "number": certificate.number,
        "certifier_name": certificate.certifier_name,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_to": certificate.valid_to.isoformat(),
        "plot_ids": [p.pk for p in certificate.plots.all()],
    }
    return values | changes


def test_a_certificate_is_renewed_through_the_api(client, manager, certificate):
    response = send(
        client,
        "put",
        f"/api/v1/certificates/{certificate.pk}",
        manager,
        payload(certificate, number="RA-2026-2", valid_from="2026-03-01", valid_to="2029-02-28"),
    )

    assert response.status_code == 200, response.content
    assert (response.json()["number"], response.json()["valid_to"]) == ("RA-2026-2", "2029-02-28")
    certificate.refresh_from_db()
    assert certificate.number == "RA-2026-2"


def test_a_certificate_scope_naming_another_cooperatives_plot_is_refused(
    client, manager, certificate, other_coop, other_manager
):
    foreign = make_plot(
        MemberFactory(organization=other_coop), "X-02", by=other_manager, lon=108.090001
    )

    response = send(
        client,
        "put",
        f"/api/v1/certificates/{certificate.pk}",
        manager,
        payload(certificate, plot_ids=[foreign.pk]),
    )

    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["plot_ids"]
    assert list(certificate.plots.values_list("code", flat=True)) == ["EA-11"]


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def test_an_evidence_file_is_attached_to_a_certificate_through_the_api(
    client, manager, certificate
):
    response = client.post(
        f"/api/v1/certificates/{certificate.pk}/evidence",
        {"file": SimpleUploadedFile("ra-licence.pdf", PDF), "description": "Licence"},
        **bearer(manager),
    )

    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["content_type"]) == (
        "ra-licence.pdf",
        "application/pdf",
    )
    assert certificate.evidence.get().description == "Licence"


def test_an_evidence_file_of_the_wrong_type_is_refused_through_the_api(client, manager, audit):
    response = client.post(
        f"/api/v1/audits/{audit.pk}/evidence",
        {"file": SimpleUploadedFile("photo.exe", b"MZ\x90\x00")},
        **bearer(manager),
    )

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "file"
    assert "is not a PDF, JPEG, PNG or WebP file" in error["reason"]
    assert not audit.evidence.exists()
