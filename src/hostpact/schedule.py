"""The periodic tasks: what `hostpact scheduler` (a child of `serve`) enqueues, and how often.

Kept beside the settings (which read it as ``PERIODIC_TASKS``) so each task's reason stands
next to its interval.
"""

# (task path, interval in seconds), enqueued by `hostpact scheduler` (a child of `serve`).
PERIODIC_TASKS = [
    ("hostpact.core.tasks.deliver_outbox", 60),  # retries mail the SMTP server refused
    ("hostpact.core.tasks.reap_stale_tasks", 300),  # tasks a killed worker left running
    ("hostpact.privacy.subject_requests.tasks.send_dsr_reminders", 3600),  # once per threshold
    ("hostpact.privacy.rights.tasks.run_retention", 86400),  # the daily retention run (C41)
    # Renewal invoices, days ahead of each term's end; idempotent, one indexed query a run.
    ("hostpact.billing.tasks.issue_renewal_invoices", 3600),
    # Registrant email verification: reminders on day 10, clientHold on day 15 (ICANN WAP).
    ("hostpact.domains.tasks.enforce_registrant_verification", 86400),
    # Domain lifecycle: expiry and the 30-day grace, then deletion; transfers the registry
    # reports completed; registration data 2 years after sponsorship ended (C41). Idempotent.
    ("hostpact.domains.tasks.expire_domains", 86400),
    ("hostpact.domains.tasks.settle_transfers", 900),
    ("hostpact.domains.tasks.purge_ended_registrations", 86400),
    # Registrar data escrow (RAA 3.6, C28): full weekly, incremental daily; each resumes a
    # deposit a killed run left and makes at most one a day.
    ("hostpact.domains.tasks.escrow_full_deposit", 7 * 86400),
    ("hostpact.domains.tasks.escrow_incremental_deposit", 86400),
    # Paid domains a killed worker left unregistered: finished or refunded (storefront).
    ("hostpact.storefront.tasks.sweep_fulfilments", 60),
    # Domains with auto-renew within 30 days of expiry: invoiced, charged, renewed.
    ("hostpact.storefront.tasks.auto_renew_domains", 86400),
    ("hostpact.storefront.tasks.delete_expired_carts", 86400),
    # Privacy complaints past their deadline or rejected: hold and disclose (C29); idempotent.
    ("hostpact.domains.complaints.tasks.enforce_complaints", 3600),
    # Visit counting's daily salts go 48 hours after they were drawn (C07); demographics are
    # counted once a day, since the data is encrypted (C18).
    ("hostpact.analytics.tasks.destroy_visit_salts", 3600),
    ("hostpact.analytics.tasks.snapshot_demographics", 86400),
    # Matured rewards become billing credits, matured commissions count towards payouts.
    ("hostpact.referrals.tasks.mature_earnings", 3600),
    # Campaigns: scheduled ones started, sending ones fed CAMPAIGN_RATE_PER_MINUTE a minute.
    ("hostpact.campaigns.tasks.run_campaigns", 60),
    # Aggregate profiles (C17): counts per category rebuilt once a day (the data is encrypted).
    ("hostpact.audiences.tasks.build_profiles", 86400),
    # Reseller removal requests (C39): held erasures followed, reminders at 10 and 20 business
    # days, escalation at 25, once each; offboarded customers deleted after the grace (C41).
    ("hostpact.resellers.tasks.remind_removals", 3600),
    ("hostpact.resellers.tasks.run_offboarding", 86400),
]
