"""Registrant email verification (ICANN Whois Accuracy Program): the link, the reminder on day
10 and clientHold on day 15, lifted when the address is confirmed."""

import datetime
import re

import pytest
from django.core import signing

from hostpact.core import clock
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.domains.models import Contact, Domain
from hostpact.domains.registry import connector
from hostpact.domains.services import verification
from hostpact.domains.services.holds import UNVERIFIED
from hostpact.domains.tasks import enforce_registrant_verification
from hostpact.domains.tests.helpers import contact_fields, register

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def mails_to(subject_id, to=None) -> list[OutboxMessage]:
    rows = OutboxMessage.objects.filter(subject_id=subject_id).order_by("id")
    return [m for m in rows if to is None or m.to_addr == to]


def token_in(message: OutboxMessage) -> str:
    match = re.search(r"https?://[^/\s]+/domains/verify/([^/\s]+)/", message.body)
    assert match, "no verification link in the mail"
    return match.group(1)


def registrant_of(domain: Domain) -> Contact:
    return domain.roles.get(role="registrant").contact


@pytest.fixture
def registered(subscriber):
    """A domain registered on START, its registrant mailed a link."""
    with clock.freeze(START):
        domain = register(subscriber, "verify.test",
                          contacts={r: contact_fields(email="owner@example.test")
                                    for r in ("registrant", "admin", "tech", "billing")})
    return domain, registrant_of(domain)


def run_on(moment):
    with clock.freeze(moment):
        return verification.enforce_verification()


def test_registration_mails_the_registrant_a_link_that_names_no_address(registered):
    """Registering a domain mails its registrant a verification link; the token inside
    carries the contact's id, never its email address."""
    domain, contact = registered
    assert contact.verification_sent_at == START and contact.email_verified_at is None
    [mail] = mails_to(contact.contact_subject_id)
    assert mail.to_addr == "owner@example.test"
    assert "verify.test" in mail.body and "15 days" in mail.body
    token = token_in(mail)
    payload = signing.loads(token, salt=verification.VERIFY_SALT)
    assert payload["c"] == contact.pk
    assert "owner@example.test" not in str(payload) and "example" not in token


def test_opening_the_link_verifies_the_email_once(registered):
    """The link marks the email verified, with an audit event; opened again it changes
    nothing."""
    _domain, contact = registered
    token = token_in(mails_to(contact.contact_subject_id)[0])
    with clock.freeze(START + 2 * DAY):
        verified = verification.verify_contact_email(token)
        again = verification.verify_contact_email(token)
    assert verified.email_verified_at == START + 2 * DAY == again.email_verified_at
    assert AuditEntry.objects.filter(action="domains.contact.verify",
                                     object_ref=contact.handle).count() == 1


def test_a_verified_contact_with_the_same_email_gets_no_new_mail(registered, subscriber):
    """A registrant already verified with the same email is mailed nothing when it registers
    another domain."""
    _domain, contact = registered
    with clock.freeze(START + DAY):
        verification.verify_contact_email(token_in(mails_to(contact.contact_subject_id)[0]))
        register(subscriber, "second.test", contacts={
            r: contact.handle for r in ("registrant", "admin", "tech", "billing")})
    assert len(mails_to(contact.contact_subject_id)) == 1
    assert verification.send_registrant_verification(contact) is False


def test_a_forged_or_expired_link_is_refused(registered):
    """A tampered token, a token of another salt and a token older than the link's life are
    refused, and the email stays unverified."""
    _domain, contact = registered
    token = token_in(mails_to(contact.contact_subject_id)[0])
    for bad in (token[:-2] + "xx", signing.dumps({"c": contact.pk, "s": 0, "i": 0}),
                signing.dumps(["not", "a", "dict"], salt=verification.VERIFY_SALT)):
        with pytest.raises(signing.BadSignature):
            verification.verify_contact_email(bad)
    with clock.freeze(START + (verification.LINK_DAYS + 1) * DAY), \
            pytest.raises(signing.SignatureExpired):
        verification.verify_contact_email(token)
    contact.refresh_from_db()
    assert contact.email_verified_at is None


def test_a_resent_link_keeps_the_deadline(registered):
    """Sending the link again mails it without moving the fifteen days."""
    _domain, contact = registered
    with clock.freeze(START + 5 * DAY):
        assert verification.send_registrant_verification(contact) is True
    contact.refresh_from_db()
    assert contact.verification_sent_at == START
    assert verification.suspension_date(contact) == START + 15 * DAY
    first, second = mails_to(contact.contact_subject_id)
    with clock.freeze(START + 6 * DAY):
        assert verification.verify_contact_email(token_in(second)).email_verified_at


def test_day_ten_reminds_the_registrant_and_tells_the_subscriber_the_date(registered,
                                                                          subscriber):
    """Ten days after the link, the registrant is reminded and the subscriber is told the
    date of suspension; a second run that day mails nothing more."""
    _domain, contact = registered
    assert run_on(START + 9 * DAY)["reminded"] == 0
    assert run_on(START + 10 * DAY)["reminded"] == 1
    reminder = mails_to(contact.contact_subject_id)[-1]
    assert "Reminder" in reminder.subject_line and token_in(reminder)
    [told] = [m for m in mails_to(subscriber.subject_id) if "suspended" in m.subject_line]
    assert told.to_addr == subscriber.email
    assert told.subject_line == "Your domains will be suspended on 16 March 2026"
    assert "verify.test" in told.body
    assert run_on(START + 10 * DAY + datetime.timedelta(hours=5))["reminded"] == 0
    assert len(mails_to(contact.contact_subject_id)) == 2


def test_day_fifteen_puts_the_domains_on_client_hold_once(registered, subscriber):
    """Fifteen days after the link, every active domain of the unverified registrant goes on
    clientHold at the registry and the subscriber is told; the next run changes nothing."""
    domain, contact = registered
    with clock.freeze(START):
        other = register(subscriber, "also.test", contacts={
            r: contact.handle for r in ("registrant", "admin", "tech", "billing")})
    assert run_on(START + 15 * DAY - datetime.timedelta(minutes=1))["held"] == 0
    assert run_on(START + 15 * DAY)["held"] == 2
    for name in (domain.name, other.name):
        held = Domain.objects.get(name=name)
        assert held.hold_reasons == [UNVERIFIED] and "clientHold" in held.statuses
        assert "clientHold" in connector().info(name).statuses
    [told] = [m for m in mails_to(subscriber.subject_id)
              if m.subject_line == "Your domains are suspended"]
    assert "also.test" in told.body and "verify.test" in told.body
    mails = OutboxMessage.objects.count()
    assert run_on(START + 16 * DAY) == {"reminded": 0, "held": 0, "released": 0}
    assert OutboxMessage.objects.count() == mails


def test_verifying_lifts_the_hold(registered):
    """Opening the link after the suspension lifts clientHold from the registrant's domains."""
    domain, contact = registered
    run_on(START + 15 * DAY)
    with clock.freeze(START + 20 * DAY):
        verification.verify_contact_email(token_in(mails_to(contact.contact_subject_id)[0]))
    domain.refresh_from_db()
    assert domain.hold_reasons == [] and "clientHold" not in domain.statuses
    assert "clientHold" not in connector().info(domain.name).statuses


def test_a_verified_registrant_is_neither_reminded_nor_held(registered):
    """A registrant who opened the link in time is left alone by the daily pass."""
    domain, contact = registered
    with clock.freeze(START + 3 * DAY):
        verification.verify_contact_email(token_in(mails_to(contact.contact_subject_id)[0]))
    assert run_on(START + 30 * DAY) == {"reminded": 0, "held": 0, "released": 0}
    domain.refresh_from_db()
    assert domain.hold_reasons == []


def test_the_periodic_task_runs_the_pass(registered):
    """The daily task holds the domains of a registrant unverified fifteen days."""
    domain, _contact = registered
    with clock.freeze(START + 15 * DAY):
        enforce_registrant_verification.call()
    domain.refresh_from_db()
    assert domain.hold_reasons == [UNVERIFIED]
