"""API of the inventory app."""

from ninja import Router

from ocophub.accounts.auth import API_AUTH

router = Router(tags=["inventory"], auth=API_AUTH)
