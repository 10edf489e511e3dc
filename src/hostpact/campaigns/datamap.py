"""Data-map declarations of the campaigns app.

A campaign is what marketing staff wrote (subject line, Markdown body, list and segment) and
its counters: no one's personal data, and the counters, being aggregates, outlive any
subscriber's erasure. A recipient row is the subscriber's own: whether their message was queued
or skipped and why, and, only if they allowed email measurement, when they first opened and
clicked it. It is kept while the account is open and deleted at erasure.
"""

from hostpact.campaigns.models import Campaign, Recipient
from hostpact.privacy import registry
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_staff = "written by marketing staff; no subscriber's data"
_aggregate = "a count over the campaign's recipients, never one person"
declare(
    Campaign,
    id=not_personal(), list_key=not_personal(_staff), subject_line=not_personal(_staff),
    body=not_personal(_staff), segment=not_personal("the product, country and sign-up dates "
                                                    "staff chose; no one's data"),
    realm=not_personal("whose customers it goes to: a realm id"),
    status=not_personal(), scheduled_at=not_personal(),
    created_by=not_personal("a staff member's id"), created_at=not_personal(),
    updated_at=not_personal(), queued_at=not_personal(), finished_at=not_personal(),
    **dict.fromkeys(("recipients_count", "queued_count", "skipped_count", "tracked_count",
                     "opened_count", "clicked_count", "tests_sent"),
                    not_personal(_aggregate)),
)

_mailing = dict(purposes=("marketing.communications.email",), retention="account",
                erasure=Erasure.DELETE)
_measured = dict(purposes=("analytics.reporting.campaign_insights",), retention="account",
                 erasure=Erasure.DELETE)
declare(
    Recipient,
    id=not_personal(), campaign=not_personal(), subject=not_personal(),
    message=not_personal("the outbox row's id"),
    status=personal("user.behavior", label="Campaign message state", **_mailing),
    queued_at=personal("user.behavior", label="Campaign message queued at", **_mailing),
    skip_reason=personal("user.behavior", label="Why the campaign skipped you", **_mailing),
    tracked=personal("user.behavior", label="Measured (you allowed email measurement)",
                     **_measured),
    opened_at=personal("user.behavior", label="First opened at", **_measured),
    clicked_at=personal("user.behavior", label="First clicked at", **_measured),
)

registry.section(Recipient, "Campaign email sent to you", order=95)
registry.back_office("campaigns", roles=("marketing",))
