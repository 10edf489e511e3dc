"""A reseller's customer stops the reseller's contact through the reseller (C40): from then on
no marketing mail the platform sends for the reseller reaches them, while account notices do;
our own campaigns never reach a reseller's customers."""

from email.utils import parseaddr

import pytest
from django.test import Client
from django.urls import reverse

from hostpact.campaigns import sending
from hostpact.campaigns import services as campaigns
from hostpact.campaigns.tests.helpers import BODY, subscribed
from hostpact.core import mail
from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.marketing import services as marketing
from hostpact.marketing import tokens
from hostpact.marketing.models import SubscriptionChange
from hostpact.resellers.models import OptOut
from hostpact.resellers.services import choice
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C40")]
HOST = "brightweb.example"


@pytest.fixture
def reseller():
    return make_reseller(name="Bright Web", host=HOST)


def _customer(reseller, **overrides):
    """A customer of ``reseller`` on the promotions list."""
    user = make_customer(reseller, **overrides)
    marketing.set_subscription(user.subject_id, "promotions", True, method="panel",
                               actor="system:test")
    return user


def _arrived(catcher, address, subjects=("Spring offer", "Summer offer", "Your invoice",
                                          "Ours", "Theirs")):
    """The messages that reached ``address`` among those the test sent (not sign-up mail)."""
    return [m.parse() for m in catcher.messages()
            if address in m.parse()["To"] and m.parse()["Subject"] in subjects]


def _main(response) -> str:
    """The page's own content (the layout around it carries per-request tokens)."""
    page = response.content.decode()
    return page[page.index('<main id="main">'):page.index("</main>")]


def test_an_opt_out_is_recorded_once_and_takes_the_customer_off_every_marketing_list(reseller):
    """The first call records it and unsubscribes every marketing list with the reseller as
    reason; a second returns the first and changes nothing."""
    customer = _customer(reseller)
    first, created = choice.record_opt_out(reseller, customer, channel="panel",
                                           actor="reseller-user:1")
    again, created_again = choice.record_opt_out(reseller, customer, channel="api",
                                                 actor="reseller-key:x")
    assert created and not created_again and again == first and again.channel == "panel"
    assert choice.has_opted_out(customer.subject_id)
    assert not marketing.is_subscribed(customer.subject_id, "promotions")
    assert SubscriptionChange.objects.filter(subject_id=customer.subject_id, subscribed=False,
                                             method="reseller").exists()
    assert AuditEntry.objects.filter(action="resellers.opt_out").count() == 1


def test_an_opted_out_customer_gets_no_marketing_mail_but_still_a_notice(reseller,
                                                                          mail_catcher):
    """Through the real outbox and SMTP: a promotion queued before the opt-out, and one after
    the customer joined the list again, are both skipped with the reason; the account notice
    arrives."""
    customer = _customer(reseller)
    before = mail.queue_mail(customer.subject_id, customer.email, "Spring offer", "Offer",
                             "promotions")
    choice.record_opt_out(reseller, customer, channel="storefront", actor="anonymous")
    marketing.set_subscription(customer.subject_id, "promotions", True, method="panel",
                               actor="system:test")
    after = mail.queue_mail(customer.subject_id, customer.email, "Summer offer", "Offer",
                            "promotions")
    mail.queue_mail(customer.subject_id, customer.email, "Your invoice", "Paid, thank you.")
    mail.deliver_queued()
    [arrived] = _arrived(mail_catcher, customer.email)
    assert arrived["Subject"] == "Your invoice"
    for message in (before, after):
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.SKIPPED
        assert message.skip_reason == choice.SKIP_REASON


def test_our_campaigns_never_reach_a_resellers_customers(reseller, mail_catcher):
    """A campaign of ours reaches only our subscribers; a campaign for the reseller reaches
    only its customers who did not stop its contact, sent under its brand name."""
    ours = subscribed()
    customer, stopped = _customer(reseller), _customer(reseller)
    choice.record_opt_out(reseller, stopped, channel="panel", actor="reseller-user:1")
    assert campaigns.count_segment("promotions", {}) == 1
    our_campaign = campaigns.create_campaign(list_key="promotions", subject_line="Ours",
                                             body=BODY, actor="staff:1")
    theirs = campaigns.create_campaign(list_key="promotions", subject_line="Theirs",
                                       body=BODY, actor="staff:1", realm_id=reseller.realm_id)
    for campaign in (our_campaign, theirs):
        campaigns.queue_campaign(campaign.pk, actor="staff:1")
        sending.feed(campaign.pk)
    mail.deliver_queued()
    assert [m["Subject"] for m in _arrived(mail_catcher, ours.email)] == ["Ours"]
    [to_customer] = _arrived(mail_catcher, customer.email)
    assert to_customer["Subject"] == "Theirs"
    assert parseaddr(to_customer["From"])[0] == reseller.brand_name
    assert not _arrived(mail_catcher, stopped.email)


def test_a_signed_in_customer_stops_contact_with_one_button(client, reseller):
    """On the reseller's host a signed-in customer confirms with one button; it is recorded
    with channel storefront."""
    customer = _customer(reseller)
    client.force_login(customer)
    page = client.get("/stop-contact/", HTTP_HOST=HOST).content.decode()
    assert "Stop Bright Web contacting me" in page and 'name="email"' not in page
    resp = client.post("/stop-contact/", HTTP_HOST=HOST)
    assert resp.status_code == 200
    assert OptOut.objects.get(subject_id=customer.subject_id).channel == "storefront"


def test_the_visitors_form_does_not_tell_who_is_a_customer(client, reseller):
    """A customer's address, an unknown address and our own subscriber's address get the same
    answer; only the reseller's customer is recorded."""
    customer = _customer(reseller)
    ours = make_subscriber()
    answers = [client.post("/stop-contact/", {"email": address}, HTTP_HOST=HOST)
               for address in (customer.email, "nobody@example.test", ours.email)]
    assert {a.status_code for a in answers} == {200}
    assert len({_main(a) for a in answers}) == 1
    assert list(OptOut.objects.values_list("subject_id", flat=True)) == [customer.subject_id]
    bad = client.post("/stop-contact/", {"email": "not an address"}, HTTP_HOST=HOST)
    assert bad.status_code == 400 and "email" in bad.content.decode()


def test_on_our_own_host_the_form_is_for_a_resellers_customers(client):
    """Our host explains the page and records nothing."""
    resp = client.post("/stop-contact/", {"email": "someone@example.test"})
    assert resp.status_code == 200 and "customers of our resellers" in resp.content.decode()
    assert not OptOut.objects.exists()


def test_a_one_click_unsubscribe_counts_as_the_resellers_opt_out(reseller):
    """The mail program's RFC 8058 button still unsubscribes, and records the reseller's
    opt-out (channel one-click)."""
    customer = _customer(reseller)
    token = tokens.make_token(customer.subject_id, "promotions")
    answer = Client().post(reverse("marketing:unsubscribe", args=[token]),
                           "List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded", HTTP_HOST=HOST)
    assert answer.status_code == 200
    assert not marketing.is_subscribed(customer.subject_id, "promotions")
    assert OptOut.objects.get(subject_id=customer.subject_id).channel == "one-click"


def test_our_subscriptions_page_points_a_resellers_customer_to_the_reseller(client, reseller):
    """On the reseller's host the subscriptions page links its form and names its
    controller; our own subscriber's page does not."""
    customer = _customer(reseller)
    client.force_login(customer)
    page = client.get("/panel/subscriptions/", HTTP_HOST=HOST).content.decode()
    assert "No more contact from Bright Web" in page and 'href="/stop-contact/"' in page
    assert reseller.controller_email in page
    client.force_login(make_subscriber())
    assert "No more contact" not in client.get("/panel/subscriptions/").content.decode()
