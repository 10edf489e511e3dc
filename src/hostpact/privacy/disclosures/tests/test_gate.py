"""The disclosures gate: only registered recipients under a valid agreement get data, only the
categories and purposes they may have, and every disclosure and refusal is recorded."""

import datetime

import pytest

from hostpact.core import mail
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy import disclose
from hostpact.privacy.disclosures.models import (
    Agreement,
    Disclosure,
    DisclosureRefusal,
    DisclosureSubject,
    Recipient,
)
from hostpact.privacy.disclosures.services import DisclosureRefused, for_subject
from hostpact.privacy.disclosures.tests.helpers import not_gateway, others
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
PURPOSE = "essential.service.notifications.email"


def test_standing_recipients_are_seeded():
    """The data migration registers the group, processors, partner, advertiser, escrow agent,
    law enforcement and complainants, each contract-bound one with an agreement (resellers
    are made one by one, each with its own)."""
    kinds = set(Recipient.objects.values_list("kind", flat=True))
    assert kinds == set(Recipient.Kind.values) - {Recipient.Kind.RESELLER}
    gateway = Recipient.objects.get(slug="test-gateway")
    assert gateway.role == "payment" and gateway.agreements.get().confidentiality
    partner = Recipient.objects.get(slug="co-marketing-partner")
    assert partner.allowed_categories == ["user.name", "user.contact"]
    assert Recipient.objects.get(slug="advertiser").allowed_categories == ["system.aggregate"]
    assert not Recipient.objects.get(slug="law-enforcement").agreements.exists()


def test_allowed_disclosure_is_recorded_per_subject_with_audit(subscriber):
    """A disclosure the gate allows writes one record, a link per subject and an audit event;
    the legal basis defaults to the recipient's agreement."""
    other = factories.make_subscriber()
    d = disclose("email-provider", [subscriber.subject_id, other.subject_id],
                 ["user.contact.email"], PURPOSE, "", actor="system:test", reference="t1")
    assert d.subject_count == 2 and DisclosureSubject.objects.filter(disclosure=d).count() == 2
    assert d.legal_basis == "Data-processing agreement DPA-MAIL-2010-01"
    assert AuditEntry.objects.filter(action="disclosure.make",
                                     object_ref=f"disclosure:{d.pk}").exists()
    [row] = not_gateway(for_subject(subscriber.subject_id))
    assert row["recipient"].startswith("Example Mail Relay") and row["purpose"] == PURPOSE


def _refused(recipient, categories=("user.contact.email",), purpose=PURPOSE, subject=None):
    before = Disclosure.objects.count()
    with pytest.raises(DisclosureRefused) as info:
        disclose(recipient, [subject] if subject else [], list(categories), purpose, "",
                 actor="system:test")
    assert Disclosure.objects.count() == before, "a refused disclosure records nothing sent"
    refusal = DisclosureRefusal.objects.latest("pk")
    assert refusal.reason == info.value.reason
    return info.value


@pytest.mark.commitment("C21")
def test_unregistered_recipient_is_refused_and_the_refusal_recorded(subscriber):
    """Data goes to no one who is not a registered recipient: refused, refusal kept."""
    exc = _refused("data-broker", subject=subscriber.subject_id)
    assert exc.code == "unregistered"
    refusal = DisclosureRefusal.objects.get()
    assert (refusal.recipient_slug, refusal.recipient, refusal.subject_count) == (
        "data-broker", None, 1)
    assert AuditEntry.objects.filter(action="disclosure.refuse").exists()
    assert not_gateway(for_subject(subscriber.subject_id)) == []


@pytest.mark.commitment("C21")
def test_expired_agreement_is_refused(subscriber):
    """A corporate-family member whose only agreement has ended receives nothing."""
    member = Recipient.objects.get(slug="hostpact-group-services")
    member.agreements.update(valid_until=datetime.date(2020, 12, 31))
    exc = _refused(member, ["user.name"], "essential.service", subscriber.subject_id)
    assert exc.code == "no_agreement"


@pytest.mark.commitment("C21")
def test_partner_without_confidentiality_is_refused(subscriber):
    """A partner whose agreement does not bind it to confidentiality receives nothing."""
    Agreement.objects.filter(recipient__slug="co-marketing-partner").update(
        confidentiality=False)
    exc = _refused("co-marketing-partner", ["user.name"],
                   "marketing.communications.email.promotions", subscriber.subject_id)
    assert exc.code == "no_confidentiality"


@pytest.mark.commitment("C21")
def test_inactive_recipient_and_authority_without_basis_are_refused(subscriber):
    """A deactivated recipient gets nothing; an authority needs a stated legal basis."""
    Recipient.objects.filter(slug="survey-provider").update(active=False)
    assert _refused("survey-provider", purpose="functional.service.improve").code == "inactive"
    assert _refused("law-enforcement", ["user.name"], "essential.legal_obligation",
                    subscriber.subject_id).code == "no_legal_basis"


@pytest.mark.commitment("C21")
def test_expired_email_provider_means_no_mail_leaves(mail_catcher):
    """When the email provider's agreement has expired the outbox sends nothing: the batch
    stays queued and the refusal is recorded."""
    factories.make_subscriber()
    Agreement.objects.filter(recipient__slug="email-provider").update(
        valid_until=datetime.date(2020, 1, 1))
    assert mail.deliver_queued() == 0
    assert mail_catcher.messages() == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.QUEUED
    assert DisclosureRefusal.objects.get().recipient_slug == "email-provider"
    assert not others().exists()


@pytest.mark.commitment("C22")
def test_email_provider_gets_only_what_mail_needs(subscriber):
    """The email provider may receive addresses for notifications, never financial data."""
    exc = _refused("email-provider", ["user.financial"], PURPOSE, subscriber.subject_id)
    assert exc.code == "category"
    assert _refused("email-provider", ["user.contact.email"],
                    "essential.service.payment_processing", subscriber.subject_id).code == (
        "purpose")
    assert _refused("ssl-authority", ["user.financial.credit_card.summary"], "essential.service",
                    subscriber.subject_id).code == "category"
    assert disclose("test-gateway", [subscriber.subject_id], ["user.financial.credit_card"],
                    "essential.service.payment_processing", "", actor="system:test")


@pytest.mark.commitment("C22")
def test_mail_batch_is_disclosed_to_the_email_provider(mail_catcher):
    """Delivering the outbox records one disclosure of the addresses to the email provider,
    listed for the subscriber as a notification."""
    user = factories.make_subscriber()
    assert mail.deliver_queued() == 1
    [row] = not_gateway(for_subject(user.subject_id))
    assert row["categories"] == ["user.contact.email"] and row["purpose"] == PURPOSE
    assert row["recipient_kind"] == "service_provider"


def test_advertiser_receives_no_personal_category(subscriber):
    """An advertiser is registered for aggregates only: any personal category is refused."""
    assert _refused("advertiser", ["user.contact.email"], "marketing.advertising",
                    subscriber.subject_id).code == "advertiser"


@pytest.mark.commitment("C24")
def test_advertiser_receives_aggregates_about_no_subject_only(subscriber):
    """An advertiser may receive an aggregate naming no subject; an aggregate that names a
    subject, or a personal category even if its row were widened, is refused."""
    purpose = "analytics.reporting.ad_performance"
    made = disclose("advertiser", [], ["system.aggregate"], purpose, "", actor="staff:1")
    assert made.subject_count == 0 and made.agreement is not None
    Recipient.objects.filter(slug="advertiser").update(allowed_categories=["user"],
                                                       allowed_purposes=["marketing"])
    assert _refused("advertiser", ["system.aggregate"], purpose,
                    subscriber.subject_id).code == "advertiser"
    assert _refused("advertiser", ["user.demographic.gender"], "marketing.advertising",
                    None).code == "advertiser"


def test_unknown_category_and_unknown_subject_are_refused(subscriber):
    """A category outside the taxonomy, or a subject that does not exist, is refused."""
    assert _refused("email-provider", ["user.emial"]).code == "unknown_category"
    assert _refused("email-provider",
                    subject="00000000-0000-0000-0000-000000000000").code == "unknown_subject"
