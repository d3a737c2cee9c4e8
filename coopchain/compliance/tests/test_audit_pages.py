"""The audit on a tablet: the checklist's notice, answering, corrective actions and their
follow-up, and closing, which is refused while a point is unanswered or a finding has no
action, with the reason on the page."""

from datetime import date

import pytest
from django.urls import reverse

from coopchain.compliance import services
from coopchain.compliance.models import Audit, AuditAnswer, Checklist, CorrectiveAction


@pytest.fixture
def checklist(db):
    return Checklist.objects.get(code="vietgap-crop-2017")


@pytest.fixture
def audit(coop, member, manager, checklist):
    return services.start_audit(
        organization=coop,
        checklist=checklist,
        member=member,
        audited_on=date(2025, 10, 6),
        auditor_name="Nguyễn Thị Hồng",
        by=manager,
    )


def answer_all(audit, manager, *, except_codes=()):
    for point in audit.checklist.points.exclude(code__in=except_codes):
        services.answer_control_point(
            audit=audit, control_point=point, result=AuditAnswer.Result.COMPLIANT, by=manager
        )


def post(client, audit, **data):
    return client.post(
        reverse("compliance:audit_detail", args=[audit.pk]), data, follow=True
    ).content.decode()


def test_the_shipped_vietgap_checklist_says_it_is_not_verified_and_what_is_confirmed(checklist):
    assert not checklist.verified
    assert checklist.points.count() == 43
    assert "Not checked against the full text of TCVN 11892-1:2017" in checklist.note
    assert "not the standard's clause numbers" in checklist.note
    assert "379/QĐ-BNN-KHCN" in checklist.note


def test_the_audit_page_shows_the_checklists_notice(client, manager, audit):
    client.force_login(manager)

    page = client.get(reverse("compliance:audit_detail", args=[audit.pk])).content.decode()

    assert "not the standard&#x27;s clause numbers" in page
    assert "0 of 43 points answered" in page


def test_closing_with_unanswered_points_keeps_the_audit_open_and_names_them(client, manager, audit):
    answer_all(audit, manager, except_codes=("4.2", "13.3"))
    client.force_login(manager)

    page = post(client, audit, do="close", summary="Done")

    assert "The audit stays open" in page
    assert "2 control point(s) are not answered: 4.2, 13.3" in page
    audit.refresh_from_db()
    assert audit.status == Audit.Status.OPEN


def test_a_finding_needs_a_corrective_action_before_the_audit_closes(client, manager, audit):
    answer_all(audit, manager, except_codes=("2.2",))
    point = audit.checklist.points.get(code="2.2")
    client.force_login(manager)

    post(
        client,
        audit,
        do="answer",
        point=point.pk,
        result="no",
        note="Pesticides kept beside the fertilizer bags in the kitchen",
    )
    refused = post(client, audit, do="close")

    assert "findings without a corrective action: 2.2" in refused
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.OPEN

    with_action = post(
        client,
        audit,
        do="action",
        point=point.pk,
        description="A locked cabinet for pesticides, away from the kitchen",
        due_on="2025-11-15",
    )
    assert "A locked cabinet for pesticides" in with_action
    closed = post(client, audit, do="close", summary="One finding, its action due 15 November")

    assert "Audit closed." in closed
    assert "Close the audit" not in closed
    assert "Pesticides kept beside the fertilizer bags" in closed
    audit.refresh_from_db()
    assert audit.status == Audit.Status.CLOSED
    assert audit.summary == "One finding, its action due 15 November"


def test_a_closed_audits_answers_cannot_be_changed(client, manager, audit):
    answer_all(audit, manager)
    services.close_audit(audit=audit, by=manager)
    point = audit.checklist.points.get(code="1.1")
    client.force_login(manager)

    page = post(client, audit, do="answer", point=point.pk, result="no", note="changed later")

    assert "The audit is closed" in page
    assert AuditAnswer.objects.get(audit=audit, control_point=point).result == "yes"


def test_a_corrective_action_without_its_due_date_is_refused_on_the_page(client, manager, audit):
    client.force_login(manager)

    page = post(client, audit, do="action", description="Train the sprayers again", due_on="")

    assert "Give the action and its due date." in page
    assert not audit.actions.exists()


def test_a_corrective_action_due_before_the_audit_is_refused(client, manager, audit):
    client.force_login(manager)

    page = post(client, audit, do="action", description="Train again", due_on="2025-09-01")

    assert "is before the audit" in page
    assert not audit.actions.exists()


def test_a_corrective_action_is_marked_done_then_verified_after_the_audit_closed(
    client, manager, audit
):
    answer_all(audit, manager)
    action = services.add_corrective_action(
        audit=audit, description="Label the spray records", due_on=date(2025, 11, 1), by=manager
    )
    services.close_audit(audit=audit, by=manager)
    client.force_login(manager)

    done = post(
        client,
        audit,
        do="action_status",
        action=action.pk,
        status="done",
        done_on="2025-10-20",
        note="Records labelled by plot",
    )

    assert "Corrective action updated." in done
    assert "Records labelled by plot" in done
    action.refresh_from_db()
    assert (action.status, action.done_on) == (CorrectiveAction.Status.DONE, date(2025, 10, 20))

    post(client, audit, do="action_status", action=action.pk, status="verified", done_on="")
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.VERIFIED
    assert action.note == "Records labelled by plot"


def test_a_corrective_action_done_in_the_future_is_refused(client, manager, audit):
    action = services.add_corrective_action(
        audit=audit, description="Label the spray records", due_on=date(2025, 11, 1), by=manager
    )
    client.force_login(manager)

    page = post(
        client, audit, do="action_status", action=action.pk, status="done", done_on="2999-01-01"
    )

    assert "is in the future" in page
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN


def test_another_cooperative_cannot_touch_the_audits_actions(client, other_manager, audit, manager):
    action = services.add_corrective_action(
        audit=audit, description="Label the spray records", due_on=date(2025, 11, 1), by=manager
    )
    client.force_login(other_manager)

    response = client.post(
        reverse("compliance:audit_detail", args=[audit.pk]),
        {"do": "action_status", "action": action.pk, "status": "done"},
    )

    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.OPEN
