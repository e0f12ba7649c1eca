"""What the producer's parts of a request's page show: the moves the viewer may make now, with their
forms (bound ones when a move was just refused), and the comment thread's form.

Read from the page's context (the request, its products and versions, already loaded by
selectors.request_page), so that these parts add no query of their own.
"""

from typing import Any

from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.common.dates import local_today

from .forms_producer import (
    ApproveForm,
    CancelForm,
    ChangesForm,
    CommentForm,
    PortfolioForm,
    ProductDesignForm,
)
from .models import DONE_STATES, TRANSITIONS, DesignRequest, FileRole, RequestState, VersionKind
from .services.checks import PRODUCT_DESIGN_KINDS


def final_images(versions: list[Any]) -> list[tuple[int, str]]:
    """The final images of the delivered versions, newest version first."""
    images = []
    for version in reversed(versions):
        if version.kind != VersionKind.FINAL:
            continue
        for row in version.files.all():
            if row.role == FileRole.FINAL and row.is_image:
                images.append((row.pk, f"{row.original_name} (v{version.number})"))
    return images


def product_design_form(
    design_request: DesignRequest, products: list[Any], versions: list[Any], data: Any = None
) -> ProductDesignForm:
    form = ProductDesignForm(
        data,
        products=[(product.pk, product.name) for product in products],
        images=final_images(versions),
    )
    if data is None and design_request.kind in PRODUCT_DESIGN_KINDS:
        form.initial.setdefault("kind", design_request.kind)
    return form


def producer_panel(context: Any) -> dict[str, Any]:
    """The producer's moves on the request in `context`, each with its form; `producer_bound` holds
    the bound form of a move just refused and `producer_problem` its Problem, keyed by move."""
    request = context.get("request")
    design_request: DesignRequest | None = context.get("design_request")
    user = getattr(request, "user", None)
    if design_request is None or not permissions.can_decide_design(user, design_request):
        return {"can_decide": False}
    bound: dict[str, Any] = context.get("producer_bound") or {}
    problems: dict[str, Any] = context.get("producer_problem") or {}
    versions: list[Any] = list(context.get("versions") or [])
    products: list[Any] = list(context.get("products") or [])
    state = design_request.state
    proposals = [version for version in versions if version.kind == VersionKind.PROPOSAL]
    deciding = state == RequestState.PROPOSAL_SENT and bool(proposals)
    panel: dict[str, Any] = {
        "can_decide": True,
        "problems": problems,
        "latest": proposals[-1] if proposals else None,
        "can_approve": deciding,
        "can_ask_changes": deciding,
        "can_cancel": RequestState.CANCELLED in TRANSITIONS.get(state, ()),
        "can_set_portfolio": design_request.terms_accepted_at is not None,
        "can_use_design": state in DONE_STATES,
    }
    if panel["can_approve"]:
        panel["approve_form"] = bound.get("approve") or ApproveForm()
        panel["changes_form"] = bound.get("changes") or ChangesForm()
    if panel["can_cancel"]:
        panel["cancel_form"] = bound.get("cancel") or CancelForm()
    if panel["can_set_portfolio"]:
        panel["portfolio_form"] = bound.get("portfolio") or PortfolioForm(
            initial={"portfolio_allowed": design_request.portfolio_allowed}
        )
    if panel["can_use_design"]:
        form = bound.get("product_design") or product_design_form(design_request, products, versions)
        panel["product_design_form"] = form
        panel["has_final_images"] = bool(final_images(versions))
    # a move refused because the request has moved on: its form is no longer shown, its message is
    shown = {
        "approve": deciding,
        "changes": deciding,
        "cancel": panel["can_cancel"],
        "portfolio": panel["can_set_portfolio"],
        "product_design": panel["can_use_design"],
    }
    panel["refused"] = [problem for move, problem in problems.items() if not shown.get(move)]
    panel["any"] = bool(panel["refused"]) or any(shown.values())
    return panel


def thread_panel(context: Any) -> dict[str, Any]:
    """The comment form for those who may write in the thread (the city reads only)."""
    request = context.get("request")
    design_request = context.get("design_request")
    user = getattr(request, "user", None)
    if design_request is None or not permissions.can_comment_on_design(user, design_request):
        return {"can_comment": False, "read_only": True}
    return {
        "can_comment": True,
        "form": context.get("comment_form") or CommentForm(),
        "problem": context.get("comment_problem"),
    }


def event_label(event: Any) -> str:
    """A history line's move in words: the state it reached, or a reassignment."""
    detail = getattr(event, "detail", None) or {}
    if detail.get("reassigned"):
        return _("Reassigned to another designer")
    try:
        return str(RequestState(event.to_state).label)
    except ValueError:
        return str(event.to_state)


def state_label(value: str) -> str:
    try:
        return str(RequestState(value).label)
    except ValueError:
        return value


def is_overdue(design_request: DesignRequest) -> bool:
    return design_request.is_overdue(local_today())
