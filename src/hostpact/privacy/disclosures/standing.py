"""The standing recipients every installation starts with (synthetic names, ``.example``).

Plain data, read by the data migration that seeds them and by ``seed_standing`` (run after every
migrate and after a test database is flushed, which empties tables a data migration filled). A
row that exists already is never changed: compliance edits or deactivates recipients in the back
office, and a restart must not undo that.
"""

import datetime

SINCE = datetime.date(2010, 1, 1)

# Categories and purposes as fideslang keys; a key allows everything under it.
RECIPIENTS = [
    {"slug": "hostpact-group-services", "name": "Hostpact Group Services Ltd (group.example)",
     "kind": "corporate_family", "role": "",
     "categories": ["user.name", "user.contact", "user.account", "system.aggregate"],
     "purposes": ["essential.service", "essential.service.operations.support",
                  "analytics.reporting"],
     "agreement": ("group", "GRP-CONF-2010-01", True)},
    {"slug": "registry", "name": "Example Registry Operator (registry.example)",
     "kind": "service_provider", "role": "registry",
     "categories": ["user.name", "user.contact"],
     "purposes": ["essential.service", "essential.legal_obligation"],
     "agreement": ("data_processing", "RRA-2010-01", True)},
    {"slug": "email-provider", "name": "Example Mail Relay (mail.example)",
     "kind": "service_provider", "role": "email",
     "categories": ["user.contact.email", "user.name"],
     "purposes": ["essential.service.notifications.email", "essential.service.authentication",
                  "marketing.communications.email"],
     "agreement": ("data_processing", "DPA-MAIL-2010-01", True)},
    {"slug": "ssl-authority", "name": "Example Certificate Authority (ca.example)",
     "kind": "service_provider", "role": "ssl",
     "categories": ["user.name", "user.contact.email", "user.contact.address",
                    "user.contact.phone_number"],
     "purposes": ["essential.service"],
     "agreement": ("data_processing", "DPA-SSL-2010-01", True)},
    {"slug": "test-gateway", "name": "Test Payment Gateway (gateway.example)",
     "kind": "service_provider", "role": "payment",
     "categories": ["user.financial", "user.name", "user.contact.address",
                    "user.contact.email"],
     "purposes": ["essential.service.payment_processing"],
     "agreement": ("data_processing", "DPA-PAY-2010-01", True)},
    {"slug": "survey-provider", "name": "Example Survey Service (survey.example)",
     "kind": "service_provider", "role": "survey",
     "categories": ["user.contact.email", "user.content.private"],
     "purposes": ["functional.service.improve", "essential.service.operations.improve"],
     "agreement": ("data_processing", "DPA-SURVEY-2010-01", True)},
    # C23: contact data only (never user.financial), only for the promotion.
    {"slug": "co-marketing-partner", "name": "Example Partner Promotions (partner.example)",
     "kind": "co_marketing", "role": "",
     "categories": ["user.name", "user.contact"],
     "purposes": ["marketing.communications.email.promotions", "marketing.communications.email"],
     "agreement": ("co_marketing", "CMA-2010-01", True)},
    # C24: advertisers get aggregates only (the gate refuses them anything else).
    {"slug": "advertiser", "name": "Example Ad Network (ads.example)",
     "kind": "advertiser", "role": "", "categories": ["system.aggregate"],
     "purposes": ["analytics.reporting.ad_performance", "analytics.reporting"],
     "agreement": ("advertising", "ADV-2010-01", False)},
    # ICANN's registrar data escrow: contact data, and each domain's expiration date.
    {"slug": "escrow-agent", "name": "Example Escrow Agent (escrow.example)",
     "kind": "escrow_agent", "role": "",
     "categories": ["user.name", "user.contact", "user.account"],
     "purposes": ["essential.legal_obligation"],
     "agreement": ("escrow", "ESC-2010-01", True)},
    {"slug": "law-enforcement", "name": "Example Cyber Crime Cell (police.example)",
     "kind": "law_enforcement", "role": "",
     "categories": ["user"],
     "purposes": ["essential.legal_obligation", "third_party_sharing.legal_obligation",
                  "essential.fraud_detection"],
     "agreement": None},
    {"slug": "complainant", "name": "Complainants (rights holders and abuse reporters)",
     "kind": "complainant", "role": "",
     "categories": ["user.name", "user.contact"],
     "purposes": ["essential.legal_obligation", "third_party_sharing.legal_obligation",
                  "essential.fraud_detection"],
     "agreement": None},
    # Policy 4.8: a complaint about a privacy-protected domain goes to its holder with the
    # complainant's contact, so that the holder can answer them.
    {"slug": "domain-holder", "name": "Holders of domains complained about (customers)",
     "kind": "domain_holder", "role": "",
     "categories": ["user.name", "user.contact"],
     "purposes": ["essential.legal_obligation"],
     "agreement": None},
]


def seed(Recipient, Agreement, now) -> int:
    """Create the standing recipients that do not exist yet; return how many were created."""
    existing = set(Recipient.objects.values_list("slug", flat=True))
    created = 0
    for spec in RECIPIENTS:
        if spec["slug"] in existing:
            continue
        recipient = Recipient.objects.create(
            slug=spec["slug"], name=spec["name"], kind=spec["kind"], role=spec["role"],
            active=True, allowed_categories=list(spec["categories"]),
            allowed_purposes=list(spec["purposes"]), created_at=now)
        if spec["agreement"]:
            kind, reference, confidential = spec["agreement"]
            Agreement.objects.create(recipient=recipient, kind=kind, reference=reference,
                                     signed_on=SINCE, valid_from=SINCE, valid_until=None,
                                     confidentiality=confidential)
        created += 1
    return created
