"""Uploaded photos are served through the storage with caching headers, and nothing else is."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocophub.centers.models import CenterPhoto

from ..conftest import center_named

pytestmark = pytest.mark.django_db


def _png(size=(400, 300), colour=(38, 84, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_SERVE = True
    return tmp_path


@pytest.fixture
def uploaded(api, network, city_admin, media):
    """A photo added through the API, as a center's officer does; returns its address."""
    center = center_named("Bát Tràng")
    client = api.as_user(city_admin)
    response = client.post(
        f"/api/v1/centers/{center.pk}/photos",
        {"image": SimpleUploadedFile("lò gốm.png", _png(), content_type="image/png")},
        headers=client.headers_for,
    )
    assert response.status_code == 201, response.content
    return response.json()["url"]


def test_an_uploaded_photo_is_served_with_caching_headers(client, uploaded):
    assert uploaded.startswith("/media/centers/")
    response = client.get(uploaded)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["ETag"] and response["Last-Modified"]
    assert "Vary" not in response and "Set-Cookie" not in response
    assert b"".join(response.streaming_content) == _png()


def test_the_photo_has_its_thumbnails_made_at_upload(client, uploaded, media):
    photo = CenterPhoto.objects.get()
    for size, (width, height) in {"card": (320, 240), "detail": (960, 720)}.items():
        name = f"thumbs/{size}/{photo.image.name}.jpg"
        assert (media / name).exists()
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "immutable" in response["Cache-Control"]
        with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumb:
            assert thumb.size == (width, height)


def test_a_missing_thumbnail_is_made_on_its_first_request(client, media):
    source = default_storage.save("products/binh.png", ContentFile(_png((1200, 900))))
    assert not (media / f"thumbs/card/{source}.jpg").exists()
    response = client.get(f"/media/thumbs/card/{source}.jpg")
    assert response.status_code == 200
    assert (media / f"thumbs/card/{source}.jpg").exists()


def test_revalidation_answers_304(client, uploaded):
    first = client.get(uploaded)
    by_etag = client.get(uploaded, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag["ETag"] == first["ETag"]
    by_date = client.get(uploaded, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    changed = client.get(uploaded, headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/media/products/../../secret_key",
        "/media/products/%2e%2e/%2e%2e/secret_key",
        "/media/products/..%2f..%2fsecret_key",
        "/media/products//etc/passwd",
        "/media/products/a%5c..%5csecret",
        "/media/products/./x.png",
        "/media/secret/x.png",
        "/media/x.png",
    ],
)
def test_traversal_and_folders_outside_the_list_are_404(client, media, path):
    (media / "secret").mkdir()
    (media / "secret" / "x.png").write_bytes(_png())
    (media / "x.png").write_bytes(_png())
    assert client.get(path).status_code == 404


def test_an_unknown_file_is_404(client, media):
    assert client.get("/media/products/khong-co.png").status_code == 404
    assert client.get("/media/thumbs/card/products/khong-co.png.jpg").status_code == 404
    assert client.get("/media/thumbs/huge/products/khong-co.png.jpg").status_code == 404


def test_a_file_of_another_kind_is_downloaded_not_shown(client, media):
    default_storage.save("products/page.html", ContentFile(b"<script>alert(1)</script>"))
    response = client.get("/media/products/page.html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_writes_are_refused(client, uploaded):
    assert client.post(uploaded).status_code == 405


def test_media_serve_off_is_404(client, uploaded, settings):
    settings.MEDIA_SERVE = False
    assert client.get(uploaded).status_code == 404


def test_the_storage_is_chosen_by_the_environment():
    import json
    import os
    import subprocess
    import sys

    options = {"bucket_name": "ocophub", "custom_domain": "anh.ocophub.vn", "querystring_auth": False}
    env = {
        **os.environ,
        "MEDIA_STORAGE": "storages.backends.s3.S3Storage",
        "MEDIA_STORAGE_OPTIONS": json.dumps(options),
        "MEDIA_SERVE": "0",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ocophub import settings as s; import json; "
            "print(json.dumps([s.STORAGES['default'], s.MEDIA_SERVE]))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == [{"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, False]


def test_thumbnail_addresses_follow_an_object_store(settings):
    from ocophub.common.thumbnails import thumbnail_url

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "ocophub",
                "custom_domain": "anh.ocophub.vn",
                "querystring_auth": False,
            },
        },
    }
    assert (
        thumbnail_url("products/binh.png", "card")
        == "https://anh.ocophub.vn/thumbs/card/products/binh.png.jpg"
    )
