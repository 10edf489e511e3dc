"""API of the data-subject requests app."""

from ninja import Router

router = Router(tags=["requests"])
