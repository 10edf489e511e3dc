"""The cart at /cart/: adding domains, renewals and plans, changing them, and its expiry."""

from datetime import timedelta

import pytest
from django.test import Client

from hostpact.core import clock
from hostpact.domains.tests.helpers import register
from hostpact.storefront.models import Cart, CartItem
from hostpact.storefront.services.cart import SESSION_KEY
from hostpact.storefront.tests.helpers import add_domain, add_plan, plan_price, taken_by_someone

pytestmark = pytest.mark.django_db


def items(client):
    return list(Cart.objects.get(token=client.session[SESSION_KEY]).items.all())


def test_a_visitor_adds_a_domain_and_a_plan_and_sees_the_total_with_gst(client):
    """An anonymous visitor's cart keeps a domain for 2 years with privacy and a plan
    attached to it; the page shows each line and the totals with GST."""
    add_domain(client, "kirana.test", years=2, privacy=True)
    add_plan(client, domain="kirana.test")
    [domain, plan] = items(client)
    assert (domain.kind, domain.domain, domain.years, domain.privacy) == (
        "register", "kirana.test", 2, True)
    assert (plan.kind, plan.price, plan.domain) == ("plan", plan_price(), "kirana.test")
    page = client.get("/cart/").content.decode()
    assert "Domain registration kirana.test, 2 years, domain privacy" in page
    assert "Starter (annual) for kirana.test" in page
    # 2 × 799.00 + 1499.00 = 3097.00; GST 557.46; total 3654.46
    assert "₹3,097.00" in page and "₹557.46" in page and "₹3,654.46" in page


def test_the_cart_id_is_random_and_kept_in_the_session(client):
    """The cart is found by an unguessable token in the session, never by its number."""
    add_domain(client, "kirana.test")
    token = client.session[SESSION_KEY]
    assert len(token) >= 40 and Cart.objects.get(token=token)


def test_a_taken_or_invalid_name_is_refused_with_its_reason(client):
    """Adding a taken name or a name breaking a rule says why and adds nothing."""
    taken_by_someone("busy.test")
    resp = add_domain(client, "busy.test")
    assert resp.status_code == 302
    page = client.get("/cart/").content.decode()
    assert "busy.test is already registered." in page
    client.post("/cart/add/", {"kind": "register", "domain": "-bad.test", "years": 1})
    assert "may not start or end with a hyphen" in client.get("/cart/").content.decode()
    client.post("/cart/add/", {"kind": "register", "domain": "fine.test", "years": 11})
    assert "Choose 1 to 10 years." in client.get("/cart/").content.decode()
    assert CartItem.objects.count() == 0


def test_the_same_name_twice_is_refused(client):
    """A name already in the cart is not added again."""
    add_domain(client, "kirana.test")
    add_domain(client, "kirana.test")
    assert len(items(client)) == 1
    assert "kirana.test is in your cart already." in client.get("/cart/").content.decode()


def test_years_change_removal_and_attachment(client):
    """The years of a domain change; a plan attaches to a domain of the cart and detaches
    when that domain is removed."""
    add_domain(client, "kirana.test")
    add_plan(client)
    domain, plan = items(client)
    client.post("/cart/years/", {"item": domain.pk, "years": 5})
    client.post("/cart/attach/", {"item": plan.pk, "domain": "kirana.test"})
    domain.refresh_from_db(), plan.refresh_from_db()
    assert domain.years == 5 and plan.domain == "kirana.test"
    client.post("/cart/attach/", {"item": plan.pk, "domain": "elsewhere.test"})
    assert "Attach the plan to a domain in your cart" in client.get("/cart/").content.decode()
    client.post("/cart/remove/", {"item": domain.pk})
    [left] = items(client)
    assert left.pk == plan.pk and left.domain == ""


def test_a_subscriber_renews_one_of_their_domains_but_not_anothers(client, subscriber,
                                                                   other_subscriber):
    """A renewal names one of the subscriber's own domains; another's is refused."""
    register(subscriber, "mine.test")
    register(other_subscriber, "theirs.test")
    client.force_login(subscriber)
    client.post("/cart/add/", {"kind": "renew", "domain": "mine.test", "years": 2})
    client.post("/cart/add/", {"kind": "renew", "domain": "theirs.test", "years": 1})
    [renewal] = items(client)
    assert (renewal.kind, renewal.domain, renewal.years) == ("renew", "mine.test", 2)
    page = client.get("/cart/").content.decode()
    assert "Domain renewal mine.test, 2 years" in page
    assert "choose one of your domains to renew" in page


def test_an_expired_cart_says_so_and_is_empty(client):
    """A cart untouched for 7 days is gone: the visitor is told, and the cart is empty."""
    start = clock.now()
    with clock.freeze(start):
        add_domain(client, "kirana.test")
    with clock.freeze(start + timedelta(days=7, seconds=1)):
        page = client.get("/cart/").content.decode()
        assert "Your cart expired after 7 days" in page and "Your cart is empty." in page
        assert Cart.objects.count() == 0
        assert "Your cart is empty." in client.get("/cart/").content.decode()
        add_domain(client, "kirana.test")
    assert len(items(client)) == 1


def test_the_daily_task_deletes_expired_carts_only(client):
    """Expired carts are deleted with their items; a live cart stays."""
    from hostpact.storefront.tasks import delete_expired_carts

    start = clock.now()
    with clock.freeze(start):
        add_domain(client, "old.test")
    with clock.freeze(start + timedelta(days=6)):
        add_domain(Client(), "fresh.test")
    with clock.freeze(start + timedelta(days=8)):
        assert delete_expired_carts.call() == 1
    assert list(CartItem.objects.values_list("domain", flat=True)) == ["fresh.test"]


def test_a_plan_must_be_on_offer(client):
    """An unknown price id is refused with the field named."""
    client.post("/cart/add/", {"kind": "plan", "price_id": "999999"})
    assert "Choose a plan and billing cycle on offer." in client.get("/cart/").content.decode()
    client.post("/cart/add/", {"kind": "gift"})
    assert "Choose a registration, a renewal, a transfer or a plan." in client.get(
        "/cart/").content.decode()
