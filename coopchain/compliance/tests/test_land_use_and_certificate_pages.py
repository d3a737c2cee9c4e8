"""A plot's declared land-use history with its evidence files, reached from the plot page and
the EUDR page; and a certificate edited (validity, scope, number, certifier) with its evidence
files, a refused file showing why and keeping what the user typed."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coopchain.compliance import services
from coopchain.compliance.models import Certificate, EvidenceFile, LandUseRecord, Standard
from coopchain.compliance.tests.support import make_plot
from coopchain.parties.tests.factories import MemberFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name="so-do.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def not_a_document(name="so-do.exe"):
    return SimpleUploadedFile(name, b"MZ\x90\x00 not a scan", content_type="application/pdf")


def too_large(name="scan.pdf"):
    content = PDF + b"0" * services.EVIDENCE_MAX_BYTES
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def plot(member, manager):
    return make_plot(member, "EA-07", by=manager)


# --- Land-use history --------------------------------------------------------------------


def test_the_plot_page_leads_to_its_land_use_history(client, manager, plot):
    client.force_login(manager)

    page = client.get(reverse("land:plot_detail", args=[plot.pk])).content.decode()

    assert reverse("compliance:plot_land_use", args=[plot.pk]) in page


def test_a_plot_without_history_says_the_cutoff_is_not_covered(client, manager, plot):
    client.force_login(manager)

    page = client.get(reverse("compliance:plot_land_use", args=[plot.pk])).content.decode()

    assert "No declared use covers the EUDR cut-off date (2020-12-31)" in page


def test_a_step_recorded_with_its_evidence_file_shows_in_the_history(client, manager, plot):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:plot_land_use", args=[plot.pk]),
        {
            "since": "2012-05-01",
            "use": "perennial_crop",
            "source": "land_certificate",
            "note": "Coffee planted by the household",
            "file": pdf(),
            "file_description": "Land-use right certificate, page 2",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Land-use step recorded." in page
    assert "On the EUDR cut-off date (2020-12-31) the land was declared as: Perennial crop" in page
    assert "so-do.pdf" in page
    assert "Land-use right certificate, page 2" in page
    (record,) = LandUseRecord.objects.filter(plot=plot)
    assert record.evidence.get().content_type == "application/pdf"


def test_forest_cleared_after_the_cutoff_is_shown_as_such(client, manager, plot):
    services.record_land_use(
        plot=plot, since=date(2015, 1, 1), use="perennial_crop", source="member", by=manager
    )
    client.force_login(manager)

    page = client.post(
        reverse("compliance:plot_land_use", args=[plot.pk]),
        {
            "since": "2022-03-01",
            "use": "perennial_crop",
            "source": "imagery",
            "cleared_forest": "on",
            "cleared_area_ha": "1.5",
        },
        follow=True,
    ).content.decode()

    assert "yes · 1.5000 ha" in page


def test_a_refused_file_keeps_the_step_unsaved_and_the_users_input(client, manager, plot):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:plot_land_use", args=[plot.pk]),
        {
            "since": "2012-05-01",
            "use": "perennial_crop",
            "source": "commune",
            "note": "Confirmed by the commune in 2024",
            "file": not_a_document(),
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "is not a PDF, JPEG, PNG or WebP file" in page
    assert 'value="Confirmed by the commune in 2024"' in page
    assert 'value="2012-05-01"' in page
    assert not LandUseRecord.objects.filter(plot=plot).exists()
    assert not EvidenceFile.objects.exists()


def test_a_step_cleared_more_than_the_plot_is_refused_beside_its_field(client, manager, plot):
    client.force_login(manager)

    page = client.post(
        reverse("compliance:plot_land_use", args=[plot.pk]),
        {
            "since": "2022-03-01",
            "use": "perennial_crop",
            "source": "imagery",
            "cleared_forest": "on",
            "cleared_area_ha": "500",
        },
    ).content.decode()

    assert "must be more than 0 and at most the plot" in page
    assert not LandUseRecord.objects.filter(plot=plot).exists()


def test_a_file_is_added_to_an_existing_step(client, manager, plot):
    record = services.record_land_use(
        plot=plot, since=date(2012, 5, 1), use="perennial_crop", source="member", by=manager
    )
    client.force_login(manager)

    page = client.post(
        reverse("compliance:plot_land_use", args=[plot.pk]),
        {"do": "evidence", "record": record.pk, "file": pdf("xac-nhan-xa.pdf")},
        follow=True,
    ).content.decode()

    assert "xac-nhan-xa.pdf" in page
    assert record.evidence.count() == 1


def test_the_eudr_page_links_each_own_plot_to_its_land_use_history(
    client, manager, coffee_plot, harvest_lot
):
    client.force_login(manager)

    page = client.get(reverse("compliance:lot_eudr", args=[harvest_lot.pk])).content.decode()

    assert reverse("compliance:plot_land_use", args=[coffee_plot.pk]) in page


def test_another_cooperative_cannot_see_or_write_the_history(client, other_manager, plot):
    client.force_login(other_manager)
    url = reverse("compliance:plot_land_use", args=[plot.pk])

    assert client.get(url).status_code == 404
    response = client.post(url, {"since": "2012-05-01", "use": "pasture", "source": "member"})
    assert response.status_code == 404
    assert not LandUseRecord.objects.exists()


# --- Editing a certificate ---------------------------------------------------------------


@pytest.fixture
def certificate(coop, manager, plot):
    return services.create_certificate(
        organization=coop,
        data=services.CertificateData(
            standard=Standard.FOUR_C,
            holder_kind=Certificate.Holder.COOPERATIVE,
            number="4C-2024-001",
            certifier_name="An Tâm",
            valid_from=date(2024, 3, 1),
            valid_to=date(2026, 2, 28),
            plot_ids=(plot.pk,),
            crop_codes=("coffee-robusta",),
        ),
        by=manager,
    )


def edit(certificate, **changes):
    data = {
        "standard": certificate.standard,
        "number": certificate.number,
        "holder_kind": certificate.holder_kind,
        "certifier_name": certificate.certifier_name,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_to": certificate.valid_to.isoformat() if certificate.valid_to else "",
        "plots": [p.pk for p in certificate.plots.all()],
        "crops": [c.code for c in certificate.crops.all()],
    }
    data.update(changes)
    return data


def test_the_certificate_page_leads_to_its_edit_form_filled_in(client, manager, certificate):
    client.force_login(manager)

    detail = client.get(reverse("compliance:certificate_detail", args=[certificate.pk]))
    form = client.get(reverse("compliance:certificate_edit", args=[certificate.pk]))

    assert reverse("compliance:certificate_edit", args=[certificate.pk]) in detail.content.decode()
    assert 'value="4C-2024-001"' in form.content.decode()
    assert 'value="2026-02-28"' in form.content.decode()


def test_a_renewed_certificate_gets_its_new_number_validity_certifier_and_scope(
    client, manager, member, certificate, plot
):
    second = make_plot(member, "EA-08", by=manager, lon=108.050001)
    client.force_login(manager)

    response = client.post(
        reverse("compliance:certificate_edit", args=[certificate.pk]),
        edit(
            certificate,
            number="4C-2026-014",
            certifier_name="Control Union Việt Nam",
            valid_from="2026-03-01",
            valid_to="2029-02-28",
            plots=[plot.pk, second.pk],
        ),
        follow=True,
    )

    page = response.content.decode()
    assert "Certificate 4C-2026-014 saved." in page
    assert "Control Union Việt Nam" in page
    assert "2026-03-01 – 2029-02-28" in page
    assert "EA-08" in page
    certificate.refresh_from_db()
    assert sorted(certificate.plots.values_list("code", flat=True)) == ["EA-07", "EA-08"]
    assert list(certificate.crops.values_list("code", flat=True)) == ["coffee-robusta"]


def test_an_edit_ending_before_it_starts_is_refused_and_keeps_the_input(
    client, manager, certificate
):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:certificate_edit", args=[certificate.pk]),
        edit(certificate, number="4C-2026-014", valid_from="2026-03-01", valid_to="2025-01-01"),
    )

    page = response.content.decode()
    assert "is before the start of validity" in page
    assert 'value="4C-2026-014"' in page
    certificate.refresh_from_db()
    assert certificate.number == "4C-2024-001"


def test_an_edit_naming_a_plot_of_another_cooperative_is_refused(
    client, manager, certificate, other_coop, other_manager
):
    foreign = make_plot(
        MemberFactory(organization=other_coop), "X-01", by=other_manager, lon=108.060001
    )
    client.force_login(manager)

    response = client.post(
        reverse("compliance:certificate_edit", args=[certificate.pk]),
        edit(certificate, plots=[foreign.pk]),
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert list(certificate.plots.values_list("code", flat=True)) == ["EA-07"]


def test_another_cooperative_cannot_edit_the_certificate(client, other_manager, certificate):
    client.force_login(other_manager)

    response = client.post(
        reverse("compliance:certificate_edit", args=[certificate.pk]),
        edit(certificate, number="HIJACKED"),
    )

    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.number == "4C-2024-001"


def test_an_evidence_pdf_is_kept_and_listed(client, manager, certificate):
    client.force_login(manager)

    page = client.post(
        reverse("compliance:certificate_detail", args=[certificate.pk]),
        {"file": pdf("4c-licence.pdf"), "description": "Licence scan"},
        follow=True,
    ).content.decode()

    assert "File kept." in page
    assert "4c-licence.pdf (application/pdf" in page
    assert certificate.evidence.count() == 1


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (not_a_document, "is not a PDF, JPEG, PNG or WebP file"),
        (too_large, "an evidence file may be at most 10 MB"),
    ],
)
def test_a_refused_evidence_file_shows_why_and_keeps_the_description(
    client, manager, certificate, upload, reason
):
    client.force_login(manager)

    response = client.post(
        reverse("compliance:certificate_detail", args=[certificate.pk]),
        {"file": upload(), "description": "Licence scan, renewal 2026"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert reason in page
    assert 'value="Licence scan, renewal 2026"' in page
    assert not certificate.evidence.exists()
