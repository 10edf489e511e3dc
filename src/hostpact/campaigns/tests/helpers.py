"""Audiences for the campaign tests, built with the platform's own services."""

from hostpact.campaigns import services
from hostpact.marketing import services as marketing
from hostpact.testing.factories import make_subscriber

BODY = ("# Autumn offer\n\nHosting at half price: [see the plans](https://hostpact.test/plans/)"
        " or [read the terms](https://example.test/terms).\n")


def subscribed(*, lists=("promotions",), measured=False, **overrides):
    """Return a new subscriber on ``lists``, with email measurement allowed if ``measured``."""
    user = make_subscriber(**overrides)
    for key in lists:
        marketing.set_subscription(user.subject_id, key, True, method="panel",
                                   actor="system:test")
    if measured:
        marketing.set_measurement(user, True, method="panel")
    return user


def draft(list_key="promotions", segment=None, body=BODY, subject_line="Autumn offer"):
    """Return a draft campaign written by a test staff member."""
    return services.create_campaign(list_key=list_key, subject_line=subject_line, body=body,
                                    segment=segment or {}, actor="staff:1")
