"""Writes of the campaigns app: drafts, tests, scheduling, queueing, and what tracking records.

Each function runs in one transaction and writes its audit event. A campaign moves
draft → scheduled → sending → sent (or cancelled before it sends). ``queue_campaign``
materialises one recipient row per subscriber the segment reaches at that moment, in bulk;
``hostpact.campaigns.sending.feed`` then turns pending rows into outbox messages at the
configured rate, checking each subscriber again just before.
"""

from django.db import connection, transaction
from django.db.models import F

from hostpact.campaigns import rendering, segments
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.report import report  # noqa: F401 - the public name of the report
from hostpact.campaigns.segments import count_segment  # noqa: F401 - public here too
from hostpact.campaigns.sending import feed  # noqa: F401 - the worker's service
from hostpact.core import audit, clock, mail
from hostpact.marketing import services as marketing
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

EDITABLE = (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED)
BULK = 5000


class CampaignRefused(ValueError):
    """A campaign change was refused; ``field`` names the part at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_text(subject_line: str, body: str) -> tuple[str, str]:
    subject_line = (subject_line or "").strip()
    if not subject_line:
        raise CampaignRefused("Give the campaign a subject line.", "subject_line")
    if len(subject_line) > 200 or "\n" in subject_line or "\r" in subject_line:
        raise CampaignRefused("The subject line is one line of at most 200 characters.",
                              "subject_line")
    if not (body or "").strip():
        raise CampaignRefused("Write the campaign's body.", "body")
    return subject_line, body


def _clean(list_key, subject_line, body, segment) -> dict:
    subject_line, body = _check_text(subject_line, body)
    try:
        segments.check_list(list_key)
        segment = segments.clean_segment(segment)
    except segments.SegmentInvalid as exc:
        raise CampaignRefused(str(exc), exc.field) from None
    return {"list_key": list_key, "subject_line": subject_line, "body": body,
            "segment": segment}


def _locked(campaign_id: int) -> Campaign:
    try:
        return Campaign.objects.select_for_update().get(pk=campaign_id)
    except Campaign.DoesNotExist:
        raise CampaignRefused(f"There is no campaign {campaign_id}.", "campaign") from None


def _ref(campaign) -> str:
    return f"campaign:{campaign.pk}"


def create_campaign(*, list_key: str, subject_line: str, body: str, segment: dict | None = None,
                    actor: str, realm_id: int | None = None) -> Campaign:
    """Create a draft campaign to a promotional list of ``realm_id``'s customers (None: ours);
    raise ``CampaignRefused`` on bad input."""
    values = {**_clean(list_key, subject_line, body, segment), "realm_id": realm_id}
    now = clock.now()
    with transaction.atomic():
        campaign = Campaign.objects.create(**values, created_by=actor[:64], created_at=now,
                                           updated_at=now)
        audit.record(actor, "campaign.create", None, sorted(values), _ref(campaign))
    return campaign


def update_campaign(campaign_id: int, *, list_key: str, subject_line: str, body: str,
                    segment: dict | None = None, actor: str) -> Campaign:
    """Change a draft (or scheduled) campaign's list, text and segment."""
    values = _clean(list_key, subject_line, body, segment)
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.status not in EDITABLE:
            raise CampaignRefused(f"A {campaign.status} campaign can no longer be changed.",
                                  "status")
        changed = [k for k, v in values.items() if getattr(campaign, k) != v]
        for key, value in values.items():
            setattr(campaign, key, value)
        campaign.updated_at = clock.now()
        campaign.save(update_fields=[*values, "updated_at"])
        audit.record(actor, "campaign.update", None, changed, _ref(campaign))
    return campaign


def preview(campaign: Campaign) -> rendering.Rendered:
    """Return the campaign as a recipient without measurement consent sees it."""
    return rendering.render_message(campaign, recipient_id=None, tracked=False,
                                    unsubscribe_url="#unsubscribe-link")


def send_test(campaign_id: int, user, *, actor: str):
    """Queue the campaign to the staff member's own address, marked as a test and not counted
    as a send; return the outbox message."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if not getattr(user, "is_staff", False) or not user.email:
            raise CampaignRefused("Tests go to a staff member's own address.", "user")
        url = marketing.unsubscribe_url(user.subject_id, campaign.list_key)
        message = rendering.render_message(campaign, recipient_id=None, tracked=False,
                                           unsubscribe_url=url, test=True)
        headers = {**marketing.unsubscribe_headers(user.subject_id, campaign.list_key),
                   "X-Hostpact-Test": "yes"}
        # A test is mail to a colleague about work, not a promotion to a subscriber.
        outbox = mail.queue_mail(user.subject_id, user.email, message.subject_line,
                                 message.text, "transactional", html=message.html,
                                 headers=headers)
        Campaign.objects.filter(pk=campaign.pk).update(tests_sent=F("tests_sent") + 1)
        audit.record(actor, "campaign.test", user.subject_id, ["email"], _ref(campaign))
    return outbox


def schedule_campaign(campaign_id: int, at, *, actor: str) -> Campaign:
    """Schedule a draft campaign to start sending at ``at`` (the periodic task starts it)."""
    if at is None:
        raise CampaignRefused("Give the time to send at.", "scheduled_at")
    if at <= clock.now():
        raise CampaignRefused("Choose a time in the future, or send now.", "scheduled_at")
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.status not in EDITABLE:
            raise CampaignRefused(f"A {campaign.status} campaign cannot be scheduled.",
                                  "status")
        campaign.status, campaign.scheduled_at = Campaign.Status.SCHEDULED, at
        campaign.updated_at = clock.now()
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
        audit.record(actor, "campaign.schedule", None, ["scheduled_at"], _ref(campaign))
    return campaign


def cancel_campaign(campaign_id: int, *, actor: str) -> Campaign:
    """Cancel a campaign: nothing more of it is queued (messages already queued still go)."""
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.status in (Campaign.Status.SENT, Campaign.Status.CANCELLED):
            raise CampaignRefused(f"A {campaign.status} campaign cannot be cancelled.",
                                  "status")
        campaign.status, campaign.updated_at = Campaign.Status.CANCELLED, clock.now()
        campaign.save(update_fields=["status", "updated_at"])
        skipped = (Recipient.objects.filter(campaign=campaign, status=Recipient.Status.PENDING)
                   .update(status=Recipient.Status.SKIPPED, skip_reason="campaign cancelled"))
        Campaign.objects.filter(pk=campaign.pk).update(skipped_count=F("skipped_count")
                                                       + skipped)
        audit.record(actor, "campaign.cancel", None, ["status"], _ref(campaign))
    return campaign


def queue_campaign(campaign_id: int, *, actor: str, feed_now: bool = True) -> int:
    """Materialise the recipients the campaign reaches now and start sending; return how many.

    ``feed_now`` enqueues the first minute's feed at once (send now); the periodic task, which
    feeds every sending campaign itself, passes False.

    The rows are inserted in bulk (one prepared statement), so queueing a campaign
    to 100,000 subscribers is a bulk load; the messages themselves are rendered by ``feed``.
    Subscribers are not locked one by one here: a recipient row is only a plan, and ``feed``
    checks each subscriber again when it renders their message.
    """
    with transaction.atomic():
        campaign = _locked(campaign_id)
        if campaign.status not in EDITABLE:
            raise CampaignRefused(f"A {campaign.status} campaign cannot be sent.", "status")
        reach = segments.reach(campaign.list_key, campaign.segment, campaign.realm_id)
        _insert_recipients(campaign.pk, reach)
        now = clock.now()
        campaign.status, campaign.queued_at, campaign.updated_at = (
            Campaign.Status.SENDING, now, now)
        campaign.recipients_count = len(reach)
        campaign.save(update_fields=["status", "queued_at", "updated_at", "recipients_count"])
        audit.record(actor, "campaign.queue", None, [], f"{_ref(campaign)}:{len(reach)}")
        if feed_now:
            transaction.on_commit(lambda: _enqueue_feed(campaign.pk))
    return len(reach)


def _insert_recipients(campaign_id: int, subject_ids: list) -> None:
    """Insert one pending row per subject with one prepared statement: building 100,000
    model instances for ``bulk_create`` took most of the queueing time. A row that exists
    already (a queueing retried) is left as it is."""
    table = connection.ops.quote_name(Recipient._meta.db_table)
    sql = (f"INSERT INTO {table} (campaign_id, subject_id, status, tracked, skip_reason) "  # noqa: S608 - the model's own table
           f"VALUES (%s, %s, %s, %s, '') ON CONFLICT DO NOTHING")
    subject = Recipient._meta.get_field("subject")
    pending = Recipient.Status.PENDING.value
    with connection.cursor() as cursor:
        for start in range(0, len(subject_ids), BULK):
            cursor.executemany(sql, [(campaign_id, subject.get_db_prep_value(s, connection),
                                      pending, False) for s in subject_ids[start:start + BULK]])


def _enqueue_feed(campaign_id: int) -> None:
    from hostpact.campaigns.tasks import feed_campaign

    feed_campaign.enqueue(campaign_id)


def _measured(recipient_id: int):
    """The recipient row, locked with its subscriber, if measurement may be recorded for it."""
    row = Recipient.objects.filter(pk=recipient_id).only("subject_id", "tracked").first()
    if row is None or not row.tracked:
        return None
    try:
        lock_subject_for_write(row.subject_id)
    except SubjectErased:
        return None
    return Recipient.objects.select_for_update().get(pk=recipient_id)


def _record_first(recipient_id: int, field: str, counter: str, action: str) -> bool:
    """Stamp ``field`` of a tracked recipient once and count it on the campaign."""
    with transaction.atomic():
        row = _measured(recipient_id)
        if row is None or getattr(row, field) is not None:
            return False
        setattr(row, field, clock.now())
        row.save(update_fields=[field])
        Campaign.objects.filter(pk=row.campaign_id).update(**{counter: F(counter) + 1})
        audit.record("system", action, row.subject_id, [field], f"campaign:{row.campaign_id}")
    return True


def record_open(recipient_id: int) -> bool:
    """Record a tracked recipient's first open; return True if this was it."""
    return _record_first(recipient_id, "opened_at", "opened_count", "campaign.open")


def record_click(recipient_id: int) -> bool:
    """Record a tracked recipient's first click; return True if this was it."""
    return _record_first(recipient_id, "clicked_at", "clicked_count", "campaign.click")


def send_campaign(*, list_key: str, subject_line: str, body: str, segment: dict | None,
                  actor: str) -> tuple[Campaign, int]:
    """Create a campaign and queue it at once (the operator's CLI); return it and its reach.
    Bad input raises ``CampaignRefused`` and creates nothing."""
    with transaction.atomic():
        campaign = create_campaign(list_key=list_key, subject_line=subject_line, body=body,
                                   segment=segment, actor=actor)
        return campaign, queue_campaign(campaign.pk, actor=actor)
