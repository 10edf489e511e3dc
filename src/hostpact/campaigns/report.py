"""A campaign's report for staff: what was queued, sent, bounced, complained about and
unsubscribed, and opens and clicks measured for the recipients who allowed it.

Every figure is a count over the campaign's recipients, suppressed below the staff threshold
(``privacy.aggregates``) so no reader can single a person out. Opens and clicks come from the
campaign's own counters (they survive erasures); delivery figures are read from the outbox and
marketing's records of the recipients still held.
"""

from dataclasses import dataclass

from hostpact.campaigns.models import Campaign, Recipient
from hostpact.core.models import OutboxMessage
from hostpact.marketing.models import Bounce, SubscriptionChange
from hostpact.privacy.aggregates import Cell, suppress, suppressed

UNSUBSCRIBE_METHODS = ("link", "one-click", "mailto", "panel")


@dataclass(frozen=True)
class Report:
    campaign: Campaign
    reached: int | None  # recipients materialised
    queued: int | None
    skipped: int | None
    delivery: list[Cell]
    measured: int | None  # recipients who allowed measurement and got a measured message
    measurement: list[Cell]

    @property
    def measured_text(self) -> str:
        """Say in words whom opens and clicks cover."""
        n = "fewer than 10" if self.measured is None else str(self.measured)
        return (f"Opens and clicks are measured for {n} recipients who allowed it "
                f"(email measurement consent); nobody else's opens or clicks are recorded.")


def _changes(campaign: Campaign, subjects):
    if campaign.queued_at is None:
        return SubscriptionChange.objects.none()
    return SubscriptionChange.objects.filter(subject_id__in=subjects, at__gte=campaign.queued_at,
                                             list_key=campaign.list_key, subscribed=False)


def report(campaign: Campaign) -> Report:
    """Return the campaign's figures, small counts suppressed."""
    rows = Recipient.objects.filter(campaign=campaign)
    messages = rows.filter(message__isnull=False).values("message_id")
    subjects = rows.values("subject_id")
    statuses = OutboxMessage.objects.filter(pk__in=messages)
    delivery = {
        "sent": statuses.filter(status=OutboxMessage.Status.SENT).count(),
        "bounced": Bounce.objects.filter(message_id__in=messages)
        .values("message_id").distinct().count(),
        "complained": _changes(campaign, subjects).filter(method="complaint")
        .values("subject_id").distinct().count(),
        "unsubscribed": _changes(campaign, subjects).filter(method__in=UNSUBSCRIBE_METHODS)
        .values("subject_id").distinct().count(),
        "skipped at sending": statuses.filter(status=OutboxMessage.Status.SKIPPED).count(),
    }
    cells, _ = suppress(delivery)
    measurement, _ = suppress({"opened": campaign.opened_count,
                               "clicked": campaign.clicked_count})
    return Report(campaign, suppressed(campaign.recipients_count),
                  suppressed(campaign.queued_count), suppressed(campaign.skipped_count),
                  cells, suppressed(campaign.tracked_count), measurement)
