from ocophub.accounts.models import ApiToken
from ocophub.accounts.services import api_token_create

from ..factories import UserFactory


def test_a_token_authenticates_api_calls_until_revoked(client, db):
    user = UserFactory(full_name="Lê Thị Hoa")
    token, raw = api_token_create(actor=user, name="máy POS")
    headers = {"Authorization": f"Bearer {raw}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["full_name"] == "Lê Thị Hoa"
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoked = client.delete(f"/api/v1/me/tokens/{token.pk}", headers=headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_only_a_hash_of_the_token_is_stored(db):
    user = UserFactory()
    token, raw = api_token_create(actor=user, name="x")
    assert raw.startswith("ocop_") and raw not in token.digest
    assert not ApiToken.objects.filter(digest=raw).exists()


def test_someone_elses_token_cannot_be_revoked(client, db):
    owner, other = UserFactory(), UserFactory()
    token, _raw = api_token_create(actor=owner, name="x")
    _t, other_raw = api_token_create(actor=other, name="y")
    response = client.delete(
        f"/api/v1/me/tokens/{token.pk}", headers={"Authorization": f"Bearer {other_raw}"}
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_garbage_tokens_are_refused(client, db):
    for value in ("Bearer nope", "Bearer ", "Basic abc", "nope"):
        assert client.get("/api/v1/me", headers={"Authorization": value}).status_code == 401


def test_tokens_are_made_and_revoked_from_the_account_page(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/tai-khoan/khoa-api/", {"name": "Quầy 1"}, follow=True)
    page = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert "Quầy 1" in page and token.prefix in page and "chỉ hiện một lần" in page
    # shown once: the next visit no longer holds the raw token
    assert "chỉ hiện một lần" not in client.get("/tai-khoan/").content.decode()
    client.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_name_is_required_on_the_page(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/tai-khoan/khoa-api/", {"name": ""})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_api_token_create_validates_the_name(client, db):
    user = UserFactory()
    client.force_login(user)
    _t, raw = api_token_create(actor=user, name="x")
    response = client.post(
        "/api/v1/me/tokens",
        {"name": ""},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422 and "name" in response.json()["error"]["fields"]
    created = client.post(
        "/api/v1/me/tokens",
        {"name": "CI"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert created.status_code == 201 and created.json()["token"].startswith("ocop_")
