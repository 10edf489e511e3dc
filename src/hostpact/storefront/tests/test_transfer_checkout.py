"""Transfer in through the storefront: a taken name into the cart, its auth code at checkout,
the transfer in the fulfilment task, and a refund when the registry refuses."""

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django_tasks_db.models import DBTaskResult

from hostpact.billing.catalogue import tld_prices
from hostpact.billing.models import Order, Payment, Refund
from hostpact.core.models import OutboxMessage
from hostpact.domains.models import Domain
from hostpact.domains.registry.models import RegistryDomain
from hostpact.domains.tests.helpers import CODE, OTHER, held_elsewhere
from hostpact.storefront.models import CartItem, Fulfilment
from hostpact.storefront.tests.helpers import add_domain, taken_by_someone

pytestmark = pytest.mark.django_db


def run_fulfilments() -> list[str]:
    """Run the fulfilment tasks the checkout enqueued, as the worker does."""
    return [row.task.call(*row.args_kwargs["args"]) for row in DBTaskResult.objects.filter(
        task_path="hostpact.storefront.tasks.fulfil")]


def add_transfer(client, name):
    return client.post("/cart/add/", {"kind": "transfer", "domain": name})


def pay(client, capture, **post):
    with capture(execute=True):
        return client.post("/checkout/", post)


def auth_field(name) -> str:
    return f"auth_code_{CartItem.objects.get(kind='transfer', domain=name).pk}"


def test_a_transfer_is_paid_with_its_auth_code_and_the_domain_becomes_ours(
        client, subscriber, django_capture_on_commit_callbacks):
    """The search offers "Transfer it to us" for a taken name; in the cart the line costs a
    year at the TLD's transfer price; checkout asks for the auth code (labelled), charges it,
    and the task transfers the domain with one more year; the code is then cleared."""
    before = held_elsewhere("coming.test")
    client.force_login(subscriber)
    search = client.get("/domains/", {"q": "coming.test"}).content.decode()
    assert "Transfer it to us" in search
    add_transfer(client, "coming.test")
    [item] = CartItem.objects.filter(kind="transfer")
    cart = client.get("/cart/").content.decode()
    assert "Domain transfer in coming.test, 1 year" in cart
    review = client.get("/checkout/").content.decode()
    assert f'<label for="auth-code-{item.pk}">Auth code of coming.test</label>' in review
    resp = pay(client, django_capture_on_commit_callbacks, **{auth_field("coming.test"): CODE})
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    order = Order.objects.get(kind="domain_transfer")
    assert order.domain == "coming.test"
    assert order.subtotal == tld_prices()["test"].transfer
    row = Fulfilment.objects.get()
    assert row.kind == "transfer" and row.auth_code == CODE
    assert run_fulfilments() == ["done"]
    row.refresh_from_db()
    assert row.auth_code in ("", None)
    domain = Domain.objects.get(name="coming.test", user=subscriber)
    assert domain.expires_at == before.expires_at + relativedelta(years=1)
    assert RegistryDomain.objects.get(name="coming.test").sponsor == "hostpact"
    assert domain.roles.count() == 4


def test_a_wrong_auth_code_is_refunded_and_the_customer_told(
        client, subscriber, django_capture_on_commit_callbacks):
    """The registry refuses a wrong code: nothing moves, the order is refunded with GST, the
    code is cleared and the customer gets a mail saying why."""
    held_elsewhere("wrong-code.test")
    client.force_login(subscriber)
    add_transfer(client, "wrong-code.test")
    pay(client, django_capture_on_commit_callbacks, **{auth_field("wrong-code.test"): "nope"})
    assert run_fulfilments() == ["refunded"]
    row = Fulfilment.objects.get()
    assert row.last_error == "auth_code" and row.auth_code in ("", None)
    order = Order.objects.get(pk=row.order_id)
    assert order.status == Order.Status.REFUNDED
    assert Refund.objects.get(order=order).amount == order.total > Decimal("0")
    assert RegistryDomain.objects.get(name="wrong-code.test").sponsor == OTHER
    assert not Domain.objects.filter(name="wrong-code.test").exists()
    [mail] = [m for m in OutboxMessage.objects.filter(subject_id=subscriber.subject_id)
              if m.subject_line == "We could not transfer wrong-code.test"]
    assert "auth code" in mail.body and "refunded" in mail.body


def test_checkout_without_the_auth_code_is_refused_and_charges_nothing(
        client, subscriber, django_capture_on_commit_callbacks):
    """An empty auth code is refused naming the domain; nothing is charged."""
    held_elsewhere("no-code.test")
    client.force_login(subscriber)
    add_transfer(client, "no-code.test")
    resp = pay(client, django_capture_on_commit_callbacks)
    assert resp.status_code == 400
    assert "Give the auth code of no-code.test" in resp.content.decode()
    assert Payment.objects.count() == 0 and not Fulfilment.objects.exists()


def test_a_free_name_or_one_already_ours_cannot_go_into_the_cart_as_a_transfer(
        client, subscriber):
    """A name registered nowhere, or one the platform sponsors, is refused for transfer and
    the cart stays without it; a transfer has no years to change."""
    client.force_login(subscriber)
    add_transfer(client, "free-name.test")
    taken_by_someone("ours-already.test")
    add_transfer(client, "ours-already.test")
    assert not CartItem.objects.filter(kind="transfer").exists()
    held_elsewhere("fixed.test")
    add_transfer(client, "fixed.test")
    add_domain(client, "another.test")
    item = CartItem.objects.get(kind="transfer")
    client.post("/cart/years/", {"item": item.pk, "years": 3})
    item.refresh_from_db()
    assert item.years == 1
