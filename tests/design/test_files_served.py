"""A design request's files and previews go only to those who may see the request, with headers that
keep a browser from running or guessing them; the public media view never serves them."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from ocophub.common.thumbnails import thumbnail_name
from ocophub.design import services
from ocophub.design.models import DesignFile

from . import world
from .world import pdf, png, psd, svg


@pytest.fixture
def w(loaded_places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.build()


@pytest.fixture
def delivered(w, django_capture_on_commit_callbacks):
    """A request of producer A at center A, assigned to designer A, with a reference PNG, two proposals
    and final files of every kind (the previews made after each commit, as in production)."""
    with django_capture_on_commit_callbacks(execute=True):
        request = world.advance(w, world.submit(w), "approved")
    with django_capture_on_commit_callbacks(execute=True):
        services.design_request_deliver(
            actor=w.designer_a,
            request=request,
            note="Tệp in",
            files=[png("final.png"), pdf(), svg(), psd()],
        )
    return request


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _file(request, role: str, file_type: str = "png") -> DesignFile:
    return request.files.filter(role=role, file_type=file_type).order_by("pk").first()


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("who", ["member_a", "manager_a", "designer_a", "city"])
def test_those_who_see_the_request_get_the_bytes(w, delivered, who):
    client = _client(getattr(w, who))
    for row in delivered.files.all():
        response = client.get(f"/thiet-ke/tep/{row.pk}/")
        assert response.status_code == 200, (who, row.original_name)
        with default_storage.open(row.file.name, "rb") as handle:
            assert _body(response) == handle.read()
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("who", ["member_b", "manager_b", "designer_a2", "designer_b"])
def test_others_are_told_the_file_does_not_exist(w, delivered, who):
    client = _client(getattr(w, who))
    for row in delivered.files.all():
        assert client.get(f"/thiet-ke/tep/{row.pk}/").status_code == 404
        assert client.get(f"/thiet-ke/tep/{row.pk}/xem-truoc/").status_code == 404
    assert client.get("/thiet-ke/tep/999999/").status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(w, delivered):
    row = _file(delivered, "reference")
    for url in (f"/thiet-ke/tep/{row.pk}/", f"/thiet-ke/tep/{row.pk}/xem-truoc/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


@pytest.mark.parametrize(
    ("file_type", "content_type", "inline"),
    [
        ("png", "image/png", True),
        ("pdf", "application/pdf", False),
        ("svg", "image/svg+xml", False),
        ("psd", "image/vnd.adobe.photoshop", False),
    ],
)
def test_each_file_goes_out_with_its_checked_type(w, delivered, file_type, content_type, inline):
    row = _file(delivered, "final", file_type)
    response = _client(w.member_a).get(f"/thiet-ke/tep/{row.pk}/")
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert row.original_name in disposition
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_file_asked_again_is_not_modified(w, delivered):
    row = _file(delivered, "reference")
    client = _client(w.member_a)
    first = client.get(f"/thiet-ke/tep/{row.pk}/")
    again = client.get(f"/thiet-ke/tep/{row.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"].startswith("private")


def test_an_image_preview_is_a_card_sized_jpeg_made_on_first_request(w, delivered):
    from PIL import Image

    row = _file(delivered, "proposal")
    name = thumbnail_name(row.file.name, "card")
    # made after the upload's commit; made again on request when it is missing
    assert default_storage.exists(name)
    default_storage.delete(name)
    response = _client(w.designer_a).get(f"/thiet-ke/tep/{row.pk}/xem-truoc/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    import io

    with Image.open(io.BytesIO(_body(response))) as picture:
        assert picture.size == (320, 240)
    assert default_storage.exists(name)


def test_files_that_are_not_images_have_no_preview(w, delivered):
    client = _client(w.manager_a)
    for file_type in ("pdf", "svg", "psd"):
        row = _file(delivered, "final", file_type)
        assert client.get(f"/thiet-ke/tep/{row.pk}/xem-truoc/").status_code == 404


def test_the_public_media_view_refuses_design_files_and_their_previews(w, delivered):
    row = _file(delivered, "reference")
    client = _client(w.member_a)
    assert client.get(f"/media/{row.file.name}").status_code == 404
    assert client.get(f"/media/{thumbnail_name(row.file.name, 'card')}").status_code == 404


def test_the_request_page_lists_references_and_versions_with_previews(w, delivered):
    html = _client(w.member_a).get(f"/thiet-ke/yeu-cau/{delivered.pk}/").content.decode()
    assert html.count('data-testid="design-version"') == 2
    assert "Phiên bản 1: phương án" in html
    assert "Phiên bản 2: tệp hoàn chỉnh" in html
    assert "Phương án 1" in html  # the version's note
    assert str(w.designer_a) in html  # its sender
    reference = _file(delivered, "reference")
    assert f'src="/thiet-ke/tep/{reference.pk}/xem-truoc/"' in html
    svg_file = _file(delivered, "final", "svg")
    # an SVG is linked for download, never drawn as an image
    assert f'src="/thiet-ke/tep/{svg_file.pk}/xem-truoc/"' not in html
    assert f'href="/thiet-ke/tep/{svg_file.pk}/"' in html
    assert html.count('data-testid="design-file"') == delivered.files.count()
