"""The producer's design pages: its requests, a new request, and its moves and the thread on a
request's page. Bad input: a Vietnamese message beside the field, a 4xx and nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ocophub.common.dates import local_today
from ocophub.design.models import (
    DesignComment,
    DesignEvent,
    DesignFile,
    DesignRequest,
    ProductDesign,
    RequestState,
)

from ..helpers import assert_fixed_queries, form_values
from . import world
from .world import png

pytestmark = pytest.mark.django_db

VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture
def w(loaded_places, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return world.build()


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def list_url(w) -> str:
    return f"/lam-viec/chu-the/{w.producer_a.slug}/thiet-ke/"


def new_url(w) -> str:
    return f"/lam-viec/chu-the/{w.producer_a.slug}/thiet-ke/moi/"


def page_url(design_request) -> str:
    return f"/thiet-ke/yeu-cau/{design_request.pk}/"


def is_vietnamese(text: str) -> bool:
    return bool(set(text.lower()) & VIETNAMESE_LETTERS)


def problem_of(response) -> str:
    return str(response.context["problem"].message)


# --- the list -------------------------------------------------------------------------------------


def test_list_shows_the_producers_requests_with_the_overdue_flag(w):
    mine = world.advance(w, world.submit(w, title="Nhãn hũ gốm"), "accepted")
    DesignRequest.objects.filter(pk=mine.pk).update(due_on=local_today() - dt.timedelta(days=2))
    world.submit(w, title="Hộp quà bình hoa", products=[w.vase])
    world.submit(
        w, actor=w.member_b, producer=w.producer_b, products=[w.tea], title="Hộp trà sơn mài", references=[]
    )
    response = client_of(w.member_a).get(list_url(w))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nhãn hũ gốm" in body and "Hộp quà bình hoa" in body
    assert "Hộp trà sơn mài" not in body
    assert mine.number in body and w.center_a.name in body
    assert body.count('data-testid="overdue"') == 1
    assert f'href="{new_url(w)}"' in body
    assert 'class="table-scroll"' in body


def test_list_of_another_producer_is_404_and_anonymous_goes_to_login(w):
    assert client_of(w.member_b).get(list_url(w)).status_code == 404
    response = Client().get(list_url(w))
    assert response.status_code == 302 and "next=" in response["Location"]
    assert client_of(w.member_b).get(new_url(w)).status_code == 404
    assert Client().get(new_url(w)).status_code == 302


def test_list_runs_a_fixed_number_of_queries(w):
    client = client_of(w.member_a)
    made = [0]

    def grow(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            world.submit(w, title=f"Nhãn mẫu {made[0]}", references=[])

    assert_fixed_queries(lambda: client.get(list_url(w)), grow, steps=(3, 30))


def test_menu_and_workspace_link_to_the_requests(w):
    client = client_of(w.member_a)
    home = client.get(f"/lam-viec/chu-the/{w.producer_a.slug}/").content.decode()
    assert f'href="{list_url(w)}"' in home
    assert 'data-testid="design-requests-link"' in home
    response = client.get("/thiet-ke/yeu-cau/cua-toi/")
    assert response.status_code == 302 and response["Location"] == list_url(w)
    assert client_of(w.manager_a).get("/thiet-ke/yeu-cau/cua-toi/").status_code == 404
    assert 'data-testid="design-requests-link"' not in client_of(w.manager_a).get("/").content.decode()


# --- a new request --------------------------------------------------------------------------------


def test_new_request_form_lists_own_products_and_working_centers(w):
    response = client_of(w.member_a).get(new_url(w))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="new-request-form"' in body and 'enctype="multipart/form-data"' in body
    assert w.jar.name in body and w.vase.name in body and w.tea.name not in body
    assert w.center_a.name in body and w.center_b.name in body
    assert 'accept=".ai,' in body and "multiple" in body
    assert 'type="date"' in body
    assert 'hx-get="' in body


def test_a_long_product_list_is_capped_and_says_so(w, monkeypatch):
    from ocophub.design import views_producer

    monkeypatch.setattr(views_producer, "PRODUCT_CHOICES_LIMIT", 1)
    body = client_of(w.member_a).get(new_url(w)).content.decode()
    assert 'data-testid="more-products"' in body
    assert w.vase.name in body and w.jar.name not in body  # by name: "Bình…" before "Hũ…"
    full = client_of(w.member_a).get(list_url(w))
    assert 'data-testid="more-products"' not in full.content.decode()


def test_commitment_list_follows_the_center(w):
    client = client_of(w.member_a)
    url = f"{new_url(w)}nguon-kinh-phi/"
    body_a = client.get(url, {"center": w.center_a.pk}).content.decode()
    body_b = client.get(url, {"center": w.center_b.pk}).content.decode()
    assert w.commitment_a.document in body_a and w.commitment_b.document not in body_a
    assert w.commitment_b.document in body_b
    assert "20.000.000" in body_a
    assert client.get(url, {"center": "x"}).status_code == 200
    assert client_of(w.member_b).get(url, {"center": w.center_a.pk}).status_code == 404


def _valid(w, **overrides):
    data = {
        "center": str(w.center_a.pk),
        "kind": "label",
        "title": "Nhãn mới cho hũ gốm",
        "products": [str(w.jar.pk), str(w.vase.pk)],
        "brief": "Nhãn hiện đại, giữ họa tiết men rạn.",
        "wished_on": (local_today() + dt.timedelta(days=40)).isoformat(),
        "budget": "3.000.000",
        "payer": "shared",
        "subsidy_percent": "40",
        "commitment": str(w.commitment_a.pk),
        "references": [png("nhan-cu.png")],
    }
    data.update(overrides)
    return data


def test_new_request_is_sent_with_shares_and_references(w):
    response = client_of(w.member_a).post(new_url(w), _valid(w))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = DesignRequest.objects.get()
    assert response["Location"] == page_url(created)
    assert created.budget == 3_000_000 and created.subsidy_percent == 40
    assert created.commitment == w.commitment_a and created.producer == w.producer_a
    assert set(created.products.all()) == {w.jar, w.vase}
    assert created.files.filter(role="reference").count() == 1
    page = client_of(w.member_a).get(page_url(created)).content.decode()
    assert "1.200.000" in page and "1.800.000" in page  # the subsidy's and the producer's shares
    assert "40 %" in page and "60 %" in page


def _nothing_written() -> None:
    assert DesignRequest.objects.count() == 0
    assert DesignEvent.objects.count() == 0
    assert DesignFile.objects.count() == 0


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("past", "wished_on"),
        ("no_products", "products"),
        ("other_product", "products"),
        ("negative", "budget"),
        ("shares_100", "subsidy_percent"),
        ("shares_150", "subsidy_percent"),
        ("beyond_commitment", "commitment"),
        ("other_center_commitment", "commitment"),
        ("forbidden_file", "references"),
        ("forged_file", "references"),
        ("empty_title", "title"),
    ],
)
def test_bad_new_request_is_refused_whole(w, case, field):
    overrides = {
        "past": {"wished_on": (local_today() - dt.timedelta(days=1)).isoformat()},
        "no_products": {"products": []},
        "other_product": {"products": [str(w.jar.pk), str(w.tea.pk)]},
        "negative": {"budget": "-500.000"},
        "shares_100": {"subsidy_percent": "100"},
        "shares_150": {"subsidy_percent": "150"},
        "beyond_commitment": {"payer": "subsidy", "budget": "25.000.000"},
        "other_center_commitment": {"commitment": str(w.commitment_b.pk)},
        "forbidden_file": {"references": [SimpleUploadedFile("chay.exe", b"MZ\x90\x00" * 10)]},
        "forged_file": {"references": [SimpleUploadedFile("anh.png", b"<html>not a picture</html>")]},
        "empty_title": {"title": "   "},
    }[case]
    response = client_of(w.member_a).post(new_url(w), _valid(w, **overrides))
    assert response.status_code in (400, 422), response.status_code
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert is_vietnamese(problem_of(response)), problem_of(response)
    assert all(is_vietnamese(str(message)) for message in form.errors[field]), form.errors[field]
    assert 'class="field-error"' in response.content.decode()
    _nothing_written()


def test_refused_form_keeps_what_was_typed(w):
    response = client_of(w.member_a).post(new_url(w), _valid(w, title=""))
    values = form_values(response.content.decode(), "new-request-form")
    assert values["budget"] == "3.000.000"
    assert values["commitment"] == str(w.commitment_a.pk)
    assert set(values["products"]) == {str(w.jar.pk), str(w.vase.pk)}


# --- the producer's moves on a request -----------------------------------------------------------


def test_request_page_shows_the_producer_its_moves(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    body = client_of(w.member_a).get(page_url(proposal)).content.decode()
    for form_id in ("approve-form", "changes-form", "comment-form"):
        assert f'id="{form_id}"' in body
    assert 'id="cancel-form"' not in body  # a proposal on the table is answered, not withdrawn
    assert "Phương án 1" in body
    submitted = world.submit(w, title="Hộp quà")
    assert 'id="cancel-form"' in client_of(w.member_a).get(page_url(submitted)).content.decode()


def test_city_reads_the_page_without_forms_and_others_get_404(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    response = client_of(w.city).get(page_url(proposal))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="read-only"' in body
    for form_id in ("approve-form", "changes-form", "cancel-form", "comment-form"):
        assert f'id="{form_id}"' not in body
    assert client_of(w.member_b).get(page_url(proposal)).status_code == 404
    designer = client_of(w.designer_a).get(page_url(proposal)).content.decode()
    assert 'id="comment-form"' in designer and 'id="approve-form"' not in designer


def test_summary_tells_state_history_designer_and_overdue(w):
    accepted = world.advance(w, world.submit(w), "accepted")
    DesignRequest.objects.filter(pk=accepted.pk).update(due_on=local_today() - dt.timedelta(days=1))
    body = client_of(w.member_a).get(page_url(accepted)).content.decode()
    assert 'data-testid="overdue"' in body
    assert "2.500.000" in body  # the agreed price
    assert "Đã gửi" in body or "Đã nhận" in body
    assert local_today().strftime("%d/%m/%Y") in body


def test_approve_needs_the_terms_and_keeps_the_portfolio_choice(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    client = client_of(w.member_a)
    refused = client.post(f"{page_url(proposal)}duyet/", {"portfolio_allowed": "on"})
    assert refused.status_code == 400
    assert 'id="approve-form"' in refused.content.decode()
    assert DesignRequest.objects.get(pk=proposal.pk).state == RequestState.PROPOSAL_SENT
    response = client.post(f"{page_url(proposal)}duyet/", {"accept_terms": "on"})
    assert response.status_code == 302
    approved = DesignRequest.objects.get(pk=proposal.pk)
    assert approved.state == RequestState.APPROVED and approved.portfolio_allowed is False
    assert approved.terms_accepted_by == w.member_a


def test_approve_of_a_request_without_proposal_is_409_and_changes_nothing(w):
    submitted = world.submit(w)
    response = client_of(w.member_a).post(f"{page_url(submitted)}duyet/", {"accept_terms": "on"})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-testid="problem"' in body
    assert "không thể chuyển sang" in body  # the move is not allowed from its state
    assert DesignRequest.objects.get(pk=submitted.pk).state == RequestState.SUBMITTED
    assert DesignEvent.objects.filter(request=submitted).count() == 1


def test_ask_for_changes_needs_a_comment(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    client = client_of(w.member_a)
    refused = client.post(f"{page_url(proposal)}yeu-cau-sua/", {"comment": "  "})
    assert refused.status_code == 400
    assert 'class="field-error"' in refused.content.decode()
    assert DesignComment.objects.count() == 0
    assert DesignRequest.objects.get(pk=proposal.pk).state == RequestState.PROPOSAL_SENT
    assert client.post(f"{page_url(proposal)}yeu-cau-sua/", {"comment": "Chữ to hơn."}).status_code == 302
    assert DesignRequest.objects.get(pk=proposal.pk).state == RequestState.CHANGES_REQUESTED
    assert DesignComment.objects.get().body == "Chữ to hơn."


def test_withdraw_needs_a_reason_and_a_state_that_allows_it(w):
    submitted = world.submit(w)
    client = client_of(w.member_a)
    assert client.post(f"{page_url(submitted)}rut-lai/", {"reason": ""}).status_code == 400
    assert DesignRequest.objects.get(pk=submitted.pk).state == RequestState.SUBMITTED
    assert client.post(f"{page_url(submitted)}rut-lai/", {"reason": "Đổi kế hoạch"}).status_code == 302
    assert DesignRequest.objects.get(pk=submitted.pk).state == RequestState.CANCELLED
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    response = client.post(f"{page_url(proposal)}rut-lai/", {"reason": "Đổi kế hoạch"})
    assert response.status_code == 409
    assert DesignRequest.objects.get(pk=proposal.pk).state == RequestState.PROPOSAL_SENT


def test_portfolio_consent_changes_after_approval_only(w):
    approved = world.advance(w, world.submit(w), "approved")
    client = client_of(w.member_a)
    page = client.get(page_url(approved)).content.decode()
    assert 'id="portfolio-form"' in page
    assert client.post(f"{page_url(approved)}trung-bay/", {}).status_code == 302
    assert DesignRequest.objects.get(pk=approved.pk).portfolio_allowed is False
    assert client.post(f"{page_url(approved)}trung-bay/", {"portfolio_allowed": "on"}).status_code == 302
    assert DesignRequest.objects.get(pk=approved.pk).portfolio_allowed is True
    submitted = world.submit(w, title="Hộp quà")
    refused = client.post(f"{page_url(submitted)}trung-bay/", {"portfolio_allowed": "on"})
    assert refused.status_code == 409 and 'data-testid="problem"' in refused.content.decode()
    assert DesignRequest.objects.get(pk=submitted.pk).portfolio_allowed is False


def test_delivered_design_is_set_on_a_product(w):
    delivered = world.advance(w, world.submit(w, products=[w.jar, w.vase]), "delivered")
    client = client_of(w.member_a)
    page = client.get(page_url(delivered)).content.decode()
    assert 'id="product-design-form"' in page
    values = form_values(page, "product-design-form")
    final = delivered.files.get(role="final", file_type="png")
    assert values["file"] == str(final.pk)
    assert values["kind"] == "label"  # the request's own kind
    response = client.post(
        f"{page_url(delivered)}dung-cho-san-pham/",
        {"product": w.vase.pk, "kind": "packaging", "file": final.pk},
    )
    assert response.status_code == 302
    row = ProductDesign.objects.get()
    assert (row.product, row.kind, row.file) == (w.vase, "packaging", final)


@pytest.mark.parametrize("case", ["other_product", "pdf_file", "bad_kind"])
def test_bad_product_design_is_refused(w, case):
    delivered = world.advance(w, world.submit(w), "delivered")
    pdf_file = delivered.files.get(role="final", file_type="pdf")
    data = {"product": w.jar.pk, "kind": "label"}
    data.update(
        {
            "other_product": {"product": w.tea.pk},
            "pdf_file": {"file": pdf_file.pk},
            "bad_kind": {"kind": "brand"},
        }[case]
    )
    response = client_of(w.member_a).post(f"{page_url(delivered)}dung-cho-san-pham/", data)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()
    assert ProductDesign.objects.count() == 0


def test_product_design_before_delivery_is_409(w):
    approved = world.advance(w, world.submit(w), "approved")
    response = client_of(w.member_a).post(
        f"{page_url(approved)}dung-cho-san-pham/", {"product": w.jar.pk, "kind": "label"}
    )
    assert response.status_code == 409
    assert 'data-testid="problem"' in response.content.decode()
    assert ProductDesign.objects.count() == 0


@pytest.mark.parametrize("who", ["city", "designer_a", "manager_a", "member_b"])
def test_those_who_may_not_decide_get_404(w, who):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    client = client_of(getattr(w, who))
    for path, data in (
        ("duyet/", {"accept_terms": "on"}),
        ("yeu-cau-sua/", {"comment": "Sửa"}),
        ("rut-lai/", {"reason": "Thôi"}),
        ("trung-bay/", {}),
        ("dung-cho-san-pham/", {"product": w.jar.pk, "kind": "label"}),
    ):
        assert client.post(f"{page_url(proposal)}{path}", data).status_code == 404, path
    assert DesignRequest.objects.get(pk=proposal.pk).state == RequestState.PROPOSAL_SENT


# --- the thread -----------------------------------------------------------------------------------


def test_comments_are_written_by_those_who_work_on_the_request(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    response = client_of(w.member_a).post(f"{page_url(proposal)}binh-luan/", {"body": "Màu xanh đậm hơn?"})
    assert response.status_code == 302
    assert (
        client_of(w.designer_a).post(f"{page_url(proposal)}binh-luan/", {"body": "Vâng ạ."}).status_code
        == 302
    )
    page = client_of(w.member_a).get(page_url(proposal)).content.decode()
    assert page.index("Màu xanh đậm hơn?") < page.index("Vâng ạ.")
    assert local_today().strftime("%d/%m/%Y") in page


def test_empty_comment_is_refused_and_the_city_cannot_write(w):
    proposal = world.advance(w, world.submit(w), "proposal_sent")
    refused = client_of(w.member_a).post(f"{page_url(proposal)}binh-luan/", {"body": "  "})
    assert refused.status_code == 400
    assert is_vietnamese(str(refused.context["comment_problem"].message))
    assert 'class="field-error"' in refused.content.decode()
    assert client_of(w.city).post(f"{page_url(proposal)}binh-luan/", {"body": "Xin chào"}).status_code == 404
    assert (
        client_of(w.member_b).post(f"{page_url(proposal)}binh-luan/", {"body": "Xin chào"}).status_code == 404
    )
    assert DesignComment.objects.count() == 0


def test_a_member_of_several_producers_chooses_whose_requests(w):
    from ocophub.accounts.models import Role
    from ocophub.accounts.services import role_grant

    role_grant(actor=None, user=w.member_a, role=Role.PRODUCER_MEMBER, scope_id=w.producer_b.pk)
    response = client_of(w.member_a).get("/thiet-ke/yeu-cau/cua-toi/")
    assert response.status_code == 200
    body = response.content.decode()
    assert list_url(w) in body and f"/lam-viec/chu-the/{w.producer_b.slug}/thiet-ke/" in body
