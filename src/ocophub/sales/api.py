"""API of the sales app."""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

router = Router(tags=["sales"], auth=API_AUTH)
