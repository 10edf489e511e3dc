"""API of the policy app."""

from ninja import Router

router = Router(tags=["policy"])
