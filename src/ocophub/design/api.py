"""The design studio's API: requests, versions, comments and the portfolio."""

from ninja import Router

router = Router(tags=["design"])
