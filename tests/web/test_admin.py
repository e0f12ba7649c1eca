"""Every admin list and form opens for a city administrator (no 500 hidden behind a menu)."""

import json

import pytest
from django.contrib import admin
from django.urls import reverse


@pytest.fixture
def superuser(db):
    from ocophub.accounts.models import User

    return User.objects.create_superuser("root@ocophub.vn", "x", full_name="Quản trị", is_staff=True)


def test_every_admin_list_and_add_form_opens(client, catalogue, superuser):
    client.force_login(superuser)
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert client.get(reverse(f"{name}_changelist")).status_code == 200, name
        if model_admin.has_add_permission(type("R", (), {"user": superuser})()):
            assert client.get(reverse(f"{name}_add")).status_code == 200, name
        first = model.objects.first()
        if first is not None:
            assert client.get(reverse(f"{name}_change", args=[first.pk])).status_code == 200, name


def registered_models():
    """Every model the admin shows, with those of its inlines."""
    seen = []
    for model, model_admin in admin.site._registry.items():
        for shown in (model, *(inline.model for inline in model_admin.inlines)):
            if shown not in seen:
                seen.append(shown)
    return seen


def test_the_admin_index_is_vietnamese_and_branded_ocop_hub(client, superuser):
    from django.utils import translation
    from django.utils.text import capfirst

    client.force_login(superuser)
    html = client.get(reverse("admin:index")).content.decode()

    assert "<title>Quản trị hệ thống | Quản trị OCOP Hub</title>" in html
    assert "Django" not in html
    with translation.override("en"):
        english = {str(model._meta.app_config.verbose_name) for model in admin.site._registry} | {
            str(capfirst(model._meta.verbose_name_plural)) for model in admin.site._registry
        }
    for label in english:
        assert f">{label}<" not in html, label


def test_every_admin_label_has_a_vietnamese_form_and_a_plural(db):
    from django.utils import translation

    untranslated = []
    for model in registered_models():
        meta = model._meta
        labels = {
            "app": meta.app_config.verbose_name,
            "model": meta.verbose_name,
            "plural": meta.verbose_name_plural,
            **{
                field.name: field.verbose_name
                for field in meta.get_fields()
                if hasattr(field, "verbose_name")
            },
        }
        for key, label in labels.items():
            with translation.override("en"):
                english = str(label)
            with translation.override("vi"):
                vietnamese = str(label)
            if vietnamese == english and english.lower() != "id":
                untranslated.append(f"{meta.label}.{key}: {english}")
        with translation.override("en"):
            singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
        if singular == plural and not singular.endswith(("hours", "stock", "taxonomy")):
            untranslated.append(f"{meta.label}: the plural is the singular ({plural})")
    assert not untranslated, untranslated


def test_the_admin_keeps_its_own_words_where_the_site_uses_them_in_another_sense(client, db, superuser):
    # the site's "Change" switches the language, its "Filter" is a button and its "Order" an online order;
    # the admin's are an edit link, the filter panel and a position, in Django's own Vietnamese
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert '"changelink" aria-describedby="accounts-user">Thay đổi</a>' in index
    changelist = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert '<h2 id="changelist-filter-header">Bộ lọc</h2>' in changelist
    assert '<button type="submit">Đổi</button>' in client.get("/").content.decode()


def test_the_admin_pages_carry_the_site_icon(client, db):
    page = client.get("/quan-tri/login/").content.decode()
    assert '<link rel="icon" href="/static/web/favicon.svg"' in page
    assert client.get("/static/web/favicon.svg").status_code == 200


def test_the_admin_speaks_vietnamese_where_django_does_not(client, superuser):
    client.force_login(superuser)
    page = client.get("/quan-tri/accounts/user/add/").content.decode()
    assert "Sau khi tạo người dùng" in page and "After you’ve created a user" not in page
    assert "Chuyển đến nội dung chính" in page and "Skip to main content" not in page
    scripts = client.get("/quan-tri/jsi18n/").content.decode()
    for vietnamese in ("Chọn mọi %s", "Bỏ %s đã đánh dấu", "Chủ nhật"):
        assert json.dumps(vietnamese)[1:-1] in scripts  # the catalogue is written as JSON


def test_a_refused_admin_page_is_our_vietnamese_403(client, superuser):
    from ocophub.centers.models import ScoreSheet  # noqa: F401 - the model whose add form is refused

    client.force_login(superuser)
    response = client.get("/quan-tri/centers/scoresheet/add/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Không được phép" in page and '<html lang="vi">' in page
