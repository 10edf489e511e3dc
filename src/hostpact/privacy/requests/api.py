"""API of the requests app."""

from ninja import Router

router = Router(tags=["requests"])
