"""API of the rights app."""

from ninja import Router

router = Router(tags=["rights"])
