"""A cooling-tank logger's CSV file: imported on the tanks page and through the API, a bad row
named with its row, column and reason and nothing stored, and the same file imported twice
stored once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coopchain.accounts.services import issue_api_token
from coopchain.dairy import services
from coopchain.dairy.models import TankReading
from coopchain.errors import InvalidInput
from coopchain.parties.tenancy import SYSTEM

pytestmark = pytest.mark.django_db

LOG = (
    "timestamp,temperature\n"
    "2026-03-01T00:00:00+07:00,4.1\n"
    "2026-03-01T01:00:00+07:00,7.5\n"
    "2026-03-01T03:00:00+07:00,4.0\n"
)


def test_a_logger_file_is_stored_and_importing_it_again_adds_nothing(centre):
    assert services.import_tank_log(centre=centre, text=LOG, by=SYSTEM) == 3
    assert services.import_tank_log(centre=centre, text=LOG, by=SYSTEM) == 0
    assert TankReading.objects.filter(centre=centre).count() == 3


def test_a_bad_row_is_named_with_its_row_column_and_reason_and_nothing_is_stored(centre):
    bad = LOG + "2026-03-01T04:00:00+07:00,warm\nyesterday,4.0\n"

    with pytest.raises(InvalidInput) as refused:
        services.import_tank_log(centre=centre, text=bad, by=SYSTEM)

    found = [(e.row, e.field, e.reason) for e in refused.value.errors]
    assert found == [
        (5, "temperature", "is not a number"),
        (6, "timestamp", "is not a date and time"),
    ]
    assert not TankReading.objects.exists()


def test_a_file_without_the_header_is_refused(centre):
    with pytest.raises(InvalidInput):
        services.import_tank_log(centre=centre, text="time;temp\n", by=SYSTEM)


def test_the_tanks_page_imports_a_file_and_names_a_bad_row(client, collector, coop, centre):
    client.force_login(collector)
    url = reverse("dairy:bulk_lots") + f"?org={coop.pk}"

    good = client.post(
        url,
        {"centre": centre.pk, "log": SimpleUploadedFile("log.csv", LOG.encode())},
        follow=True,
    ).content.decode()
    bad = client.post(
        url,
        {
            "centre": centre.pk,
            "log": SimpleUploadedFile("log.csv", b"timestamp,temperature\nx,1\n"),
        },
        follow=True,
    ).content.decode()

    assert "3 new tank readings." in good
    assert "Row 2, timestamp: is not a date and time (x)" in bad


def test_the_api_takes_a_logger_file(client, manager, centre):
    _token, secret = issue_api_token(user=manager)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    url = f"/api/v1/dairy/facilities/{centre.pk}/tank-log"

    first = client.post(url, {"file": SimpleUploadedFile("log.csv", LOG.encode())})
    again = client.post(url, {"file": SimpleUploadedFile("log.csv", LOG.encode())})

    assert first.status_code == 201
    assert first.json()["stored"] == 3
    assert again.json()["stored"] == 0
