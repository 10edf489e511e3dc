"""Feeding a campaign into the outbox: the next pending recipients, checked again, rendered
one by one and queued, at the configured rate.

Each chunk is one transaction: the recipients' rows turn ``queued`` (with their outbox
message) in the same commit that stores the messages, so a worker killed mid-chunk leaves
both untouched and the next run takes the same rows afresh; no recipient is ever queued
twice. Whether someone may still receive the list is asked at that moment
(``marketing.services.recipients``): a subscriber who left since the campaign was queued is
skipped, and marketing's send filter asks once more when the message leaves.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from hostpact.accounts.models import User
from hostpact.campaigns import rendering
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.core import audit, branding, clock, crypto, mail
from hostpact.core.models import DataKey
from hostpact.marketing import services as marketing
from hostpact.privacy.purposes import PurposeNotAllowed

CHUNK = 500
ACCOUNT = "account"  # the retention class of the address and of the outbox row
LEFT_LIST = "no longer receives this list"
NO_ADDRESS = "no address on the account"
NOT_ALLOWED = "the use of the address is not allowed"


def feed(campaign_id: int, limit: int | None = None) -> int:
    """Queue up to ``limit`` (default ``CAMPAIGN_RATE_PER_MINUTE``) of the campaign's pending
    recipients; return how many messages were queued. Marks the campaign sent when none is
    left pending."""
    limit = settings.CAMPAIGN_RATE_PER_MINUTE if limit is None else limit
    handled = queued = 0
    while handled < limit:
        rows, sent = _feed_chunk(campaign_id, min(CHUNK, limit - handled))
        if not rows:
            break
        handled += rows
        queued += sent
    finish_campaign(campaign_id)
    return queued


def _feed_chunk(campaign_id: int, size: int) -> tuple[int, int]:
    """Queue one chunk; return (rows handled, messages queued)."""
    with transaction.atomic():
        campaign = (Campaign.objects.select_for_update()  # one feeder per campaign at a time
                    .filter(pk=campaign_id, status=Campaign.Status.SENDING).first())
        if campaign is None:
            return 0, 0
        rows = list(Recipient.objects.filter(campaign=campaign, status=Recipient.Status.PENDING)
                    .order_by("pk")[:size])
        if not rows:
            return 0, 0
        plan = _plan(campaign, rows)
        ids = _queue(campaign, [item for _, item in plan if item is not None])
        now = clock.now()
        queued = skipped = tracked = 0
        for row, item in plan:
            if item is not None and ids.get(row.pk):
                row.status, row.message_id, row.queued_at = (
                    Recipient.Status.QUEUED, ids[row.pk], now)
                queued += 1
                tracked += row.tracked
            else:
                row.status, row.tracked = Recipient.Status.SKIPPED, False
                row.skip_reason = row.skip_reason or NOT_ALLOWED
                skipped += 1
        _mark(rows)
        Campaign.objects.filter(pk=campaign.pk).update(
            queued_count=F("queued_count") + queued, skipped_count=F("skipped_count") + skipped,
            tracked_count=F("tracked_count") + tracked)
        audit.record("system", "campaign.feed", None, [],
                     f"campaign:{campaign.pk}:queued={queued}:skipped={skipped}")
    return len(rows), queued


def _mark(rows: list[Recipient]) -> None:
    """Write the rows' new state: one prepared statement run for all of them (an UPDATE per
    row through the ORM, or its CASE-built bulk_update, cost more than rendering them)."""
    table = connection.ops.quote_name(Recipient._meta.db_table)
    sql = (f"UPDATE {table} SET status = %s, message_id = %s, queued_at = %s, tracked = %s, "  # noqa: S608 - the model's own table
           f"skip_reason = %s WHERE id = %s")
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(r.status, r.message_id, adapt(r.queued_at), r.tracked,
                                  r.skip_reason, r.pk) for r in rows])


def _preload_keys(subject_ids: list) -> None:
    """Unwrap the chunk's account keys into the key cache in one query (as the RDS records
    do), so reading the addresses and encrypting the messages need no query each."""
    wanted = [s for s in subject_ids if not crypto.key_cache.get(s, ACCOUNT)]
    rows = DataKey.objects.filter(subject_id__in=wanted, retention_class=ACCOUNT,
                                  shredded_at__isnull=True, wrapped__isnull=False)
    for subject_id, key_id, wrapped in rows.values_list("subject_id", "master_key_id",
                                                         "wrapped"):
        crypto.key_cache.put(subject_id, ACCOUNT, crypto.unwrap(key_id, bytes(wrapped)))


def _plan(campaign: Campaign, rows: list[Recipient]) -> list[tuple[Recipient, dict | None]]:
    """Pair each row with its rendered outbox item, or None (with the row's skip reason)."""
    subject_ids = [r.subject_id for r in rows]
    _preload_keys(subject_ids)
    allowed = {str(s) for s in marketing.recipients(campaign.list_key, subject_ids)}
    measured = {str(s) for s in marketing.measurement_allowed(subject_ids)}
    addresses = dict(User.objects.filter(subject_id__in=subject_ids, is_active=True,
                                         realm_id=campaign.realm_id)
                     .values_list("subject_id", "email"))
    sender = branding.from_address(campaign.realm_id)
    body, text = rendering.body_html(campaign.body), rendering.body_text(campaign.body)
    plan = []
    for row in rows:
        address = addresses.get(row.subject_id)
        if str(row.subject_id) not in allowed:
            row.skip_reason = LEFT_LIST
            plan.append((row, None))
            continue
        if not address:
            row.skip_reason = NO_ADDRESS
            plan.append((row, None))
            continue
        row.tracked = str(row.subject_id) in measured
        message = rendering.render_message(
            campaign, recipient_id=row.pk, tracked=row.tracked, body=body, text=text,
            unsubscribe_url=marketing.unsubscribe_url(row.subject_id, campaign.list_key))
        plan.append((row, {
            "recipient": row.pk, "subject_id": row.subject_id, "to": address,
            "subject_line": message.subject_line, "body": message.text, "html": message.html,
            "headers": marketing.unsubscribe_headers(row.subject_id, campaign.list_key),
            "from_addr": sender,
        }))
    return plan


def _queue(campaign: Campaign, items: list[dict]) -> dict[int, int]:
    """Queue the items in the outbox; return recipient row id → outbox message id.

    One refused purpose check would refuse the whole batch, so on a refusal each item is
    queued on its own and the refused ones are left out (their rows are skipped).
    """
    if not items:
        return {}
    keys = [item.pop("recipient") for item in items]
    try:
        with transaction.atomic():
            return dict(zip(keys, mail.queue_many(items, campaign.list_key), strict=True))
    except PurposeNotAllowed:
        pass
    out = {}
    for key, item in zip(keys, items, strict=True):
        try:
            with transaction.atomic():
                out[key] = mail.queue_many([item], campaign.list_key)[0]
        except PurposeNotAllowed:
            continue
    return out


def finish_campaign(campaign_id: int) -> bool:
    """Mark a sending campaign sent once no recipient is pending; return True if it was."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None:
            return False
        if campaign.status != Campaign.Status.SENDING or Recipient.objects.filter(
                campaign=campaign, status=Recipient.Status.PENDING).exists():
            return False
        campaign.status, campaign.finished_at = Campaign.Status.SENT, clock.now()
        campaign.save(update_fields=["status", "finished_at"])
        audit.record("system", "campaign.sent", None, [], f"campaign:{campaign.pk}")
    return True
