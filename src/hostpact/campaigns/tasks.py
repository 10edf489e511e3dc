"""Background tasks of campaigns. Arguments are ids only, never personal data.

``run_campaigns`` runs every minute (``PERIODIC_TASKS``): it starts the scheduled campaigns
whose time has come and feeds each sending campaign one minute's worth of messages
(``CAMPAIGN_RATE_PER_MINUTE``), so the rate holds across workers and restarts, and a campaign a
killed worker left half-fed resumes at the next run.
"""

from django_tasks import task

from hostpact.campaigns import sending, services
from hostpact.campaigns.models import Campaign
from hostpact.core import clock


@task()
def feed_campaign(campaign_id: int) -> int:
    """Feed one minute's worth of the campaign's messages into the outbox (send now)."""
    return sending.feed(campaign_id)


@task()
def run_campaigns() -> int:
    """Start due scheduled campaigns and feed every sending one; return messages queued."""
    due = Campaign.objects.filter(status=Campaign.Status.SCHEDULED,
                                  scheduled_at__lte=clock.now()).values_list("pk", flat=True)
    for pk in list(due):
        try:
            services.queue_campaign(pk, actor="system", feed_now=False)
        except services.CampaignRefused:
            continue  # cancelled or started by someone else meanwhile
    sending_ids = Campaign.objects.filter(status=Campaign.Status.SENDING).values_list(
        "pk", flat=True)
    return sum(sending.feed(pk) for pk in list(sending_ids))
