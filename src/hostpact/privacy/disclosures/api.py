"""API of the disclosures app."""

from ninja import Router

router = Router(tags=["disclosures"])
