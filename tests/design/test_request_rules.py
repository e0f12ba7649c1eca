"""Bad input to a design request and its files: a clear message naming the field, nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.design import services
from ocophub.design.models import DesignEvent, DesignFile, DesignRequest

from . import world
from .world import jpeg, pdf, png, psd, svg


@pytest.fixture
def w(loaded_places):
    return world.build()


def _nothing_written() -> None:
    assert DesignRequest.objects.count() == 0
    assert DesignEvent.objects.count() == 0
    assert DesignFile.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"wished_on": dt.date(2020, 1, 1)}, "wished_on"),
        ({"products": []}, "products"),
        ({"budget": -1}, "budget"),
        ({"budget": 10**13}, "budget"),
        ({"brief": "  "}, "brief"),
        ({"title": ""}, "title"),
        ({"kind": "tattoo"}, "kind"),
        ({"payer": "shared", "subsidy_percent": 100}, "commitment"),
        ({"payer": "nobody"}, "payer"),
        ({"payer": "subsidy"}, "commitment"),
    ],
)
def test_bad_request_is_refused_whole(w, overrides, field):
    with pytest.raises(DomainError) as error:
        world.submit(w, **overrides)
    assert field in error.value.fields
    assert error.value.message
    _nothing_written()


def test_products_of_another_producer_are_refused(w):
    with pytest.raises(DomainError) as error:
        world.submit(w, products=[w.jar, w.tea])
    assert "products" in error.value.fields
    _nothing_written()


def test_shares_must_add_up(w):
    for percent in (0, 100, 150, -5):
        with pytest.raises(DomainError) as error:
            world.submit(w, payer="shared", subsidy_percent=percent, commitment=w.commitment_a)
        assert "subsidy_percent" in error.value.fields
    request = world.submit(w, payer="shared", subsidy_percent=40, commitment=w.commitment_a, budget=3_000_001)
    assert (request.subsidy_amount, request.producer_amount) == (1_200_000, 1_800_001)


def test_subsidy_cannot_pass_what_is_left_of_the_commitment(w):
    first = world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=15_000_000)
    assert services.commitment_remaining(w.commitment_a) == 5_000_000
    with pytest.raises(DomainError) as error:
        world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=5_000_001)
    assert "commitment" in error.value.fields
    assert DesignRequest.objects.count() == 1
    world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=5_000_000)
    # a declined request gives its subsidy back
    services.design_request_decline(actor=w.manager_a, request=first, reason="Không kịp.")
    assert services.commitment_remaining(w.commitment_a) == 15_000_000
    # and the agreed price counts from acceptance: above what is left is refused
    third = world.submit(w, payer="subsidy", commitment=w.commitment_a, budget=1_000_000)
    with pytest.raises(DomainError) as error:
        services.design_request_accept(
            actor=w.manager_a,
            request=third,
            designer=w.designer_a,
            due_on=local_today() + dt.timedelta(days=3),
            price=15_000_001,
        )
    assert "commitment" in error.value.fields
    third.refresh_from_db()
    assert third.state == "submitted" and third.price is None


def test_a_commitment_to_another_center_is_refused(w):
    with pytest.raises(DomainError) as error:
        world.submit(w, payer="subsidy", commitment=w.commitment_b)
    assert "commitment" in error.value.fields
    _nothing_written()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 100),
        SimpleUploadedFile("script.html", b"<html><script>alert(1)</script></html>"),
        # forged extensions: the content says another type than the name
        SimpleUploadedFile("anh.png", b"%PDF-1.4 not a png"),
        SimpleUploadedFile("tai-lieu.pdf", b"MZ\x90\x00 an executable"),
        SimpleUploadedFile(
            "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        ),
        SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        SimpleUploadedFile(
            "bomb.svg", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>'
        ),
        SimpleUploadedFile("rong.png", b""),
    ],
    ids=["exe", "html", "pdf-as-png", "exe-as-pdf", "svg-script", "svg-onload", "svg-entity", "empty"],
)
def test_forbidden_or_forged_files_are_refused(w, upload):
    with pytest.raises(DomainError) as error:
        world.submit(w, references=[upload])
    assert "references" in error.value.fields
    _nothing_written()


@override_settings(DESIGN_FILE_MAX_BYTES=1000)
def test_a_file_over_the_size_is_refused(w):
    with pytest.raises(DomainError) as error:
        world.submit(w, references=[png(size=(400, 400), color="#123456")] * 1 + [pdf()])
    assert "MB" in error.value.message or "references" in error.value.fields
    _nothing_written()


def test_accepted_types_are_stored_by_content(w):
    request = world.submit(
        w, references=[png(), jpeg(), pdf(), svg(), psd(), SimpleUploadedFile("a.ai", b"%PDF-1.5 x")]
    )
    assert sorted(request.files.values_list("file_type", flat=True)) == sorted(
        ["png", "jpeg", "pdf", "svg", "psd", "ai"]
    )
    for row in request.files.all():
        assert row.file.name.startswith(f"design/{request.pk}/")


def test_a_version_without_files_is_refused(w):
    request = world.advance(w, world.submit(w), "in_progress")
    with pytest.raises(DomainError) as error:
        services.design_version_send(actor=w.designer_a, request=request, note="", files=[])
    assert "files" in error.value.fields
    request.refresh_from_db()
    assert request.state == "in_progress" and request.versions.count() == 0
