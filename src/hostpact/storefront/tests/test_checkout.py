"""Checkout at /checkout/: sign-up on the way, contacts, payment, and what fails safely."""

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from hostpact.accounts.models import User
from hostpact.billing.models import Invoice, Order, Payment, Refund, Service
from hostpact.core import clock
from hostpact.core.models import OutboxMessage
from hostpact.domains.models import Contact, Domain
from hostpact.storefront.models import Checkout, Fulfilment
from hostpact.storefront.tasks import fulfil, sweep_fulfilments
from hostpact.storefront.tests.helpers import (
    SIGNUP,
    add_domain,
    add_plan,
    taken_by_someone,
)
from hostpact.testing import factories

pytestmark = pytest.mark.django_db
DECLINES_LATER = "4000000000000341"  # accepted at sign-up, every charge declined


@pytest.fixture(autouse=True)
def _signups(settings):
    settings.SIGNUP_RATE_PER_HOUR = 1000


def run_fulfilments() -> list[str]:
    """Run the fulfilment tasks the checkout enqueued, as the worker does."""
    return [row.task.call(*row.args_kwargs["args"]) for row in DBTaskResult.objects.filter(
        task_path="hostpact.storefront.tasks.fulfil")]


def sign_up_at_checkout(client, **over):
    resp = client.post("/checkout/", {**SIGNUP, **over})
    assert resp.status_code == 302 and resp["Location"] == "/checkout/", resp.content[-3000:]
    return User.objects.get(subject__profile__isnull=False, pk=resp.wsgi_request.user.pk)


def pay(client, django_capture_on_commit_callbacks, **post):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/checkout/", post)


def test_a_visitor_signs_up_at_checkout_pays_and_gets_domain_and_plan(
        client, django_capture_on_commit_callbacks):
    """A new visitor's cart (a domain and a plan attached to it) is checked out: sign-up on
    the checkout page logs them in; paying charges one invoice, starts the plan for the
    domain, and the task registers the domain with the profile as the four contacts and the
    default name servers."""
    add_domain(client, "chai-stall.test", years=2, privacy=True)
    add_plan(client, domain="chai-stall.test")
    page = client.get("/checkout/").content.decode()
    assert "Create my account and continue" in page and "next=%2Fcheckout%2F" in page
    user = sign_up_at_checkout(client)
    review = client.get("/checkout/").content.decode()
    assert "Use my details" in review and "ns1.hostpact.test" in review and "4242" in review
    resp = pay(client, django_capture_on_commit_callbacks)
    done = Checkout.objects.get(user=user)
    assert resp.status_code == 302 and resp["Location"] == f"/checkout/done/{done.pk}/"
    assert done.invoice.status == Invoice.Status.PAID and Payment.objects.count() == 1
    [service] = Service.objects.filter(user=user)
    assert service.status == Service.Status.ACTIVE and service.domain == "chai-stall.test"
    [row] = Fulfilment.objects.all()
    assert (row.state, row.domain, row.years, row.privacy) == ("pending", "chai-stall.test", 2,
                                                              True)
    page = client.get(f"/checkout/done/{done.pk}/").content.decode()
    assert "registering…" in page and 'http-equiv="refresh"' in page
    assert run_fulfilments() == ["done"]
    domain = Domain.objects.get(name="chai-stall.test")
    assert domain.user == user and domain.privacy
    assert [n.host for n in domain.nameservers.all()] == ["ns1.hostpact.test",
                                                          "ns2.hostpact.test"]
    [contact] = Contact.objects.filter(user=user)
    assert contact.name == SIGNUP["name"] and contact.email == SIGNUP["email"]
    assert {r.role for r in domain.roles.all()} == {"registrant", "admin", "tech", "billing"}
    page = client.get(f"/checkout/done/{done.pk}/").content.decode()
    assert "done" in page and 'http-equiv="refresh"' not in page
    assert client.get("/cart/").content.decode().count("Your cart is empty.") == 1


@pytest.mark.commitment("C03")
@pytest.mark.commitment("C22")
def test_checkout_collects_four_contacts_and_the_registry_gets_only_what_it_needs(
        client, django_capture_on_commit_callbacks):
    """A domain bought at checkout is registered with a registrant, administrative, technical
    and billing contact, submitted to the registry in one recorded disclosure of contact
    categories only: nothing of the card, the password or the date of birth the sign-up
    took."""
    from hostpact.domains.models import RegistryDomain
    from hostpact.privacy.disclosures.models import Disclosure

    add_domain(client, "four-roles.test")
    user = sign_up_at_checkout(client)
    pay(client, django_capture_on_commit_callbacks)
    assert run_fulfilments() == ["done"]
    [contact] = Contact.objects.filter(user=user)
    at_registry = RegistryDomain.objects.get(name="four-roles.test")
    assert at_registry.contacts == {role: contact.handle
                                    for role in ("registrant", "admin", "tech", "billing")}
    disclosure = Disclosure.objects.get(recipient__slug="registry")
    assert disclosure.purpose == "essential.service" and disclosure.agreement is not None
    assert "user.contact.url" in disclosure.categories
    assert all(c == "user.name" or c.startswith("user.contact.")
               for c in disclosure.categories), disclosure.categories


def test_an_under_13_visitor_is_refused_first_and_nothing_is_stored(client):
    """A child signing up at checkout is refused on the age alone: no account, no card."""
    add_domain(client, "kids.test")
    resp = client.post("/checkout/", {**SIGNUP, "date_of_birth": clock.now().date().replace(
        year=clock.now().year - 10).isoformat()})
    assert resp.status_code == 403 and "under 13" in resp.content.decode()
    assert not User.objects.filter(is_staff=False).exists()


def test_an_existing_contact_handle_can_be_chosen(client, subscriber,
                                                  django_capture_on_commit_callbacks):
    """A subscriber picks one of their contact handles for a role; a foreign handle is
    refused, naming it, and nothing is charged."""
    from hostpact.domains.services.contacts import create_contact
    from hostpact.domains.tests.helpers import contact_fields

    mine = create_contact(subscriber, contact_fields(), "system:test")
    theirs = create_contact(factories.make_subscriber(), contact_fields(), "system:test")
    client.force_login(subscriber)
    add_domain(client, "handles.test")
    resp = pay(client, django_capture_on_commit_callbacks, contact_tech=theirs.handle)
    assert resp.status_code == 400 and theirs.handle in resp.content.decode()
    assert Payment.objects.count() == 0
    pay(client, django_capture_on_commit_callbacks, contact_tech=mine.handle,
        nameservers="ns1.hosting.example\nns2.hosting.example")
    assert run_fulfilments() == ["done"]
    domain = Domain.objects.get(name="handles.test")
    assert domain.roles.get(role="tech").contact == mine
    assert domain.roles.get(role="registrant").contact != mine


def test_a_name_taken_since_the_search_is_removed_and_nothing_is_charged(
        client, subscriber, django_capture_on_commit_callbacks):
    """The name registered by someone else between search and payment: a message names it,
    it leaves the cart, no invoice is charged; the rest of the cart stays."""
    client.force_login(subscriber)
    add_domain(client, "racy.test")
    add_plan(client, domain="racy.test")
    taken_by_someone("racy.test")
    resp = pay(client, django_capture_on_commit_callbacks)
    assert resp.status_code == 302 and resp["Location"] == "/cart/"
    page = client.get("/cart/").content.decode()
    assert "racy.test was registered by someone else since you searched" in page
    assert "Starter (annual)" in page and "Domain registration racy.test" not in page
    assert Payment.objects.count() == 0 and not Invoice.objects.filter(user=subscriber)


def test_a_declined_card_keeps_the_invoice_open_and_the_retry_reuses_it(
        client, django_capture_on_commit_callbacks):
    """A declined charge says so and charges nothing; the invoice stays open, and the next
    attempt pays that same invoice once the card is replaced."""
    add_domain(client, "declined.test")
    user = sign_up_at_checkout(client, card_number=DECLINES_LATER)
    resp = pay(client, django_capture_on_commit_callbacks)
    assert resp.status_code == 400 and "Payment failed" in resp.content.decode()
    [invoice] = Invoice.objects.filter(user=user)
    assert invoice.status == Invoice.Status.OPEN
    assert not Checkout.objects.exists() and not Fulfilment.objects.exists()
    resp = pay(client, django_capture_on_commit_callbacks)
    assert resp.status_code == 400 and Invoice.objects.filter(user=user).count() == 1
    from hostpact.billing.services import replace_card

    replace_card(user, factories.TEST_CARD, 12, 2031, "123", "system:test")
    resp = pay(client, django_capture_on_commit_callbacks)
    assert resp.status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and Invoice.objects.filter(user=user).count() == 1
    assert Checkout.objects.get().invoice == invoice


def test_a_cart_changed_after_a_declined_card_voids_the_stale_invoice(
        client, django_capture_on_commit_callbacks):
    """The invoice of the cart as it was is voided (its orders cancelled) once the cart
    changes; the next attempt bills the cart as it is, and only one invoice is open."""
    add_domain(client, "changed.test")
    user = sign_up_at_checkout(client, card_number=DECLINES_LATER)
    pay(client, django_capture_on_commit_callbacks)
    [stale] = Invoice.objects.filter(user=user)
    add_plan(client, domain="changed.test")
    stale.refresh_from_db()
    assert stale.status == Invoice.Status.VOID
    from hostpact.billing.services import invoice_orders

    assert {o.status for o in invoice_orders(stale)} == {Order.Status.CANCELLED}
    pay(client, django_capture_on_commit_callbacks)
    assert Invoice.objects.filter(user=user, status=Invoice.Status.OPEN).count() == 1
    [fresh] = Invoice.objects.filter(user=user, status=Invoice.Status.OPEN)
    assert fresh.lines.count() == 2


def test_a_double_submit_charges_once_and_shows_the_first_result(
        client, subscriber, django_capture_on_commit_callbacks):
    """Pay submitted twice: one payment, one fulfilment; the second answer is the first
    checkout's result page."""
    client.force_login(subscriber)
    add_domain(client, "twice.test")
    first = pay(client, django_capture_on_commit_callbacks)
    second = pay(client, django_capture_on_commit_callbacks)
    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1 and Fulfilment.objects.count() == 1
    from hostpact.storefront.models import Cart
    from hostpact.storefront.services.checkout import checkout_cart

    cart = Cart.objects.get()
    assert checkout_cart(cart, subscriber) == Checkout.objects.get()
    assert Payment.objects.count() == 1


def test_another_subscribers_checkout_result_is_not_found(
        client, subscriber, other_subscriber, django_capture_on_commit_callbacks):
    """The result page answers 404 to anyone but the checkout's owner."""
    client.force_login(subscriber)
    add_domain(client, "private-order.test")
    pay(client, django_capture_on_commit_callbacks)
    done = Checkout.objects.get()
    assert client.get(f"/checkout/done/{done.pk}/").status_code == 200
    client.force_login(other_subscriber)
    assert client.get(f"/checkout/done/{done.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/checkout/done/{done.pk}/").status_code == 404


def test_a_domain_left_by_a_killed_worker_is_finished_by_the_sweep(client, subscriber):
    """Paid, but the worker died before registering: a minute later the sweep registers it
    with the registry, once; a second sweep does nothing."""
    start = clock.now()
    client.force_login(subscriber)
    with clock.freeze(start):
        add_domain(client, "orphan.test")
        client.post("/checkout/")  # the enqueued task never runs: the worker was killed
        assert sweep_fulfilments.call() == 0  # not stale yet
    assert not Domain.objects.filter(name="orphan.test").exists()
    with clock.freeze(start + timedelta(minutes=2)):
        assert sweep_fulfilments.call() == 1
        assert sweep_fulfilments.call() == 0
    row = Fulfilment.objects.get()
    assert row.state == "done" and row.attempts == 1
    assert Domain.objects.get(name="orphan.test").user == subscriber
    assert fulfil.call(row.pk) == "done"
    assert Domain.objects.filter(name="orphan.test").count() == 1


def test_a_refused_registration_is_refunded_and_the_customer_told(
        client, subscriber, django_capture_on_commit_callbacks):
    """Taken by someone else after the payment: the order is refunded with GST, the
    fulfilment says refunded, and the customer gets a mail saying so."""
    client.force_login(subscriber)
    add_domain(client, "lost.test")
    pay(client, django_capture_on_commit_callbacks)
    taken_by_someone("lost.test")
    assert run_fulfilments() == ["refunded"]
    row = Fulfilment.objects.get()
    assert row.last_error == "taken"
    order = Order.objects.get(pk=row.order_id)
    assert order.status == Order.Status.REFUNDED
    assert Refund.objects.get(order=order).amount == order.total
    [mail] = [m for m in OutboxMessage.objects.filter(subject_id=subscriber.subject_id)
              if m.subject_line == "We could not register lost.test"]
    assert "refunded" in mail.body
    page = client.get(f"/checkout/done/{row.checkout_id}/").content.decode()
    assert "we refunded it" in page
    assert fulfil.call(row.pk) == "refunded" and Refund.objects.count() == 1


def test_an_unexpected_failure_is_retried_then_refunded(client, subscriber, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    """A registry failure that is not a refusal leaves the fulfilment pending for the sweep,
    counting attempts; after the fifth it is refunded."""
    from hostpact.storefront.services import fulfilment as fulfilment_services

    def broken(*args, **kwargs):
        raise ConnectionError("registry unreachable")

    monkeypatch.setattr(fulfilment_services, "register_domain", broken)
    client.force_login(subscriber)
    add_domain(client, "flaky.test")
    pay(client, django_capture_on_commit_callbacks)
    row = Fulfilment.objects.get()
    assert [fulfil.call(row.pk) for _ in range(4)] == ["pending"] * 4
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (4, "ConnectionError")
    assert fulfil.call(row.pk) == "refunded"
    assert Order.objects.get(pk=row.order_id).status == Order.Status.REFUNDED
