"""Writes of the design studio (see workflow.py for the rules every move follows)."""

from .checks import MAX_PRICE, PRODUCT_DESIGN_KINDS, commitment_remaining
from .portfolio import design_portfolio_set, product_design_set, subsidy_totals, subsidy_used
from .references import REFERENCE_STATES, design_reference_add
from .workflow import (
    design_changes_request,
    design_comment_add,
    design_request_accept,
    design_request_approve,
    design_request_cancel,
    design_request_close,
    design_request_decline,
    design_request_deliver,
    design_request_reassign,
    design_request_start,
    design_request_submit,
    design_version_send,
)

__all__ = [
    "MAX_PRICE",
    "REFERENCE_STATES",
    "PRODUCT_DESIGN_KINDS",
    "commitment_remaining",
    "design_changes_request",
    "design_comment_add",
    "design_portfolio_set",
    "design_reference_add",
    "design_request_accept",
    "design_request_approve",
    "design_request_cancel",
    "design_request_close",
    "design_request_decline",
    "design_request_deliver",
    "design_request_reassign",
    "design_request_start",
    "design_request_submit",
    "design_version_send",
    "product_design_set",
    "subsidy_totals",
    "subsidy_used",
]
