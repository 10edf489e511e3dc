"""Every URL and API route that names an object answers 404 for another subscriber's object.

``MATRIX`` lists each such route with a way to build the other subscriber's object;
``test_every_object_route_is_in_the_matrix`` fails when a new route with a parameter appears
without an entry here (or a reasoned exemption), so the matrix cannot silently fall behind.
"""

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from hostpact.accounts.models import LoginSession
from hostpact.accounts.services import issue_api_token
from hostpact.billing.models import Invoice, Price
from hostpact.billing.services import place_order
from hostpact.testing.factories import make_subscriber


def other_invoice(victim):
    price = Price.objects.filter(active=True).first()
    return place_order(victim, price, "system").invoice.number


def other_service(victim):
    price = Price.objects.filter(active=True).first()
    return place_order(victim, price, "system").service.pk


def other_session(victim):
    client = Client()
    client.post("/login/", {"username": victim.email, "password": "correct-horse-battery-1"})
    return LoginSession.objects.filter(user=victim).latest("pk").pk


def other_domain(victim):
    from hostpact.domains.tests.helpers import register

    return register(victim).name


def other_complaint(victim):
    from hostpact.domains.complaints.tests.helpers import file, private_domain

    return file(private_domain(victim)).pk


def other_contact(victim):
    from hostpact.domains.tests.helpers import register

    return register(victim).roles.get(role="registrant").contact.handle


def other_checkout(victim):
    from hostpact.storefront.services.cart import add_item
    from hostpact.storefront.services.checkout import checkout_cart

    price = Price.objects.filter(active=True).first()
    return checkout_cart(add_item(None, victim, kind="plan", price_id=price.pk), victim).pk


def other_export_link(victim):
    from hostpact.privacy.rights.export.views import make_link_token

    return make_link_token(victim)


def other_removal(victim):
    from hostpact.community import services
    from hostpact.community.tests.helpers import published_post

    post = published_post(victim)
    return services.request_removal(user=victim, email=victim.email,
                                    url=f"/community/post/{post.pk}/", what="x").pk


def other_held_post(victim):
    """A first post: held for moderation, seen only by its author."""
    from hostpact.community import services
    from hostpact.community.tests.helpers import category

    return services.start_thread(victim, category(), "Held", "first")[1]


def other_survey(victim):
    """A survey only ``victim`` is invited to: everyone else has left the surveys list."""
    from hostpact.accounts.models import User
    from hostpact.marketing import services as marketing
    from hostpact.surveys import services
    from hostpact.surveys.tests.helpers import survey

    for subject_id in User.objects.exclude(pk=victim.pk).values_list("subject_id", flat=True):
        marketing.set_subscription(subject_id, "surveys", False, method="panel",
                                   actor="system:test")
    s = survey()
    assert services.send_invitations(s.pk, actor="staff:1") == 1
    return s.pk


# route pattern -> (object builder, [(method, url template)])
MATRIX = {
    "panel/invoices/<str:number>/": (other_invoice, [("get", "/panel/invoices/{}/")]),
    "panel/invoices/<str:number>/pay/": (other_invoice, [("post", "/panel/invoices/{}/pay/")]),
    "panel/invoices/<str:number>/download/": (
        other_invoice, [("get", "/panel/invoices/{}/download/")]),
    "api/v1/invoices/<number>": (other_invoice, [("get", "/api/v1/invoices/{}")]),
    "api/v1/invoices/<number>/pay": (other_invoice, [("post", "/api/v1/invoices/{}/pay")]),
    "api/v1/services/<service_id>": (other_service, [("get", "/api/v1/services/{}")]),
    "api/v1/domains/<name>": (other_domain, [("get", "/api/v1/domains/{}")]),
    "panel/domains/leave/<str:name>/transfer/": (
        other_domain, [("post", "/panel/domains/leave/{}/transfer/")]),
    "panel/domains/leave/<str:name>/delete/": (
        other_domain, [("get", "/panel/domains/leave/{}/delete/"),
                       ("post", "/panel/domains/leave/{}/delete/")]),
    "panel/domains/<str:name>/": (other_domain, [("get", "/panel/domains/{}/")]),
    "panel/domains/<str:name>/nameservers/": (
        other_domain, [("post", "/panel/domains/{}/nameservers/")]),
    "panel/domains/<str:name>/transfer-lock/": (
        other_domain, [("post", "/panel/domains/{}/transfer-lock/")]),
    "panel/domains/<str:name>/auth-code/": (
        other_domain, [("post", "/panel/domains/{}/auth-code/")]),
    "panel/domains/<str:name>/privacy/": (
        other_domain, [("post", "/panel/domains/{}/privacy/")]),
    "panel/domains/<str:name>/auto-renew/": (
        other_domain, [("post", "/panel/domains/{}/auto-renew/")]),
    "panel/contacts/<str:handle>/": (other_contact, [
        ("get", "/panel/contacts/{}/"), ("post", "/panel/contacts/{}/")]),
    "panel/export/download/<str:token>/": (
        other_export_link, [("get", "/panel/export/download/{}/")]),
    "panel/security/sessions/<int:pk>/sign-out/": (
        other_session, [("post", "/panel/security/sessions/{}/sign-out/")]),
    "checkout/done/<int:checkout_id>/": (other_checkout, [("get", "/checkout/done/{}/")]),
    "panel/complaints/<int:pk>/": (other_complaint, [
        ("get", "/panel/complaints/{}/"), ("post", "/panel/complaints/{}/")]),
    "panel/surveys/<int:pk>/": (other_survey, [("get", "/panel/surveys/{}/"),
                                               ("post", "/panel/surveys/{}/")]),
    "community/removal/<int:pk>/": (other_removal, [("get", "/community/removal/{}/")]),
    "community/post/<int:pk>/": (lambda v: other_held_post(v).pk,
                                 [("get", "/community/post/{}/")]),
    "community/thread/<int:pk>/": (lambda v: other_held_post(v).thread_id,
                                   [("get", "/community/thread/{}/")]),
}
# Routes with a parameter that names no subscriber's object, and why.
EXEMPT = {
    "verify-email/<str:token>/": "a signed token, not an object id; tampering is refused",
    "domains/verify/<str:token>/": "a signed contact-verification token; tampering is refused "
                                   "(domains verification tests)",
    "password-reset/<str:uidb64>/<str:token>/": "Django's one-time token; tested in accounts",
    "panel/services/order/<int:price_id>/": "a public catalogue price, owned by no one",
    "dev/mail/<str:message_id>/": "development mail catcher, staff only",
    "policy/<int:number>/": "a published policy version, public",
    "r/<str:code>": "a public referral code: every visitor gets the same redirect home "
                    "(referrals tests)",
    "referrals/banners/<slug:slug>.svg": "a public banner image, the same for everyone",
    "policy/opt-out/<str:token>/": "a signed token naming its subject; forged ones answer 404",
    "erasure/<str:token>/": "an erasure status token of 32 random bytes, shown without login "
                            "and with no personal value; others answer 404 (rights tests)",
    "api/v1/erasure/<token>": "the same status token over the API; tested in rights",
    "whois/contact/<str:name>/<str:role>/": "the public form that forwards a message to a "
                                            "published domain's contact, never showing the "
                                            "address; tested in rds",
    "m/o/<str:token>.gif": "a campaign's open pixel: a signed recipient token, no login; "
                           "forged ones answer 404 (campaigns tracking tests)",
    "m/c/<str:token>": "a campaign's click redirect: a signed recipient and link index, only "
                       "to the campaign's own links; forged ones answer 404 (campaigns tests)",
    "u/<str:token>": "an unsubscribe link: a signed recipient and list token, no login; forged "
                     "or expired ones answer 400 and change nothing (marketing unsubscribe tests)",
    "community/c/<slug:slug>/": "a public forum category, the same for everyone",
    "community/c/<slug:slug>/new/": "the new-thread form of a public category; one posts in "
                                    "one's own name (community tests)",
    "surveys/r/<str:token>": "a survey's answer link: a random token whose hash names one "
                             "invitation; unknown ones answer 404 (surveys tests)",
    "backoffice/surveys/<int:pk>/": "staff only (surveys back-office tests)",
    "backoffice/surveys/<int:pk>/results/": "staff only (surveys back-office tests)",
    "backoffice/surveys/<int:pk>/review/": "staff only (surveys back-office tests)",
    "backoffice/surveys/<int:pk>/share/": "staff only (surveys back-office tests)",
    "ads/i/<int:creative_id>.<str:ext>": "an ad's image, the same for everyone who is shown it",
    "ads/c/<str:token>": "an ad's click redirect: a signed creative and day, naming no one; "
                         "forged ones answer 404 (advertising tests)",
}


# Reseller routes: reseller B owns the object; reseller A's owner (pages) and A's key (API)
# are the intruders. A template's ``{}`` is B's object, ``{a}`` A's own slug.
def _b_customer(b):
    from hostpact.resellers.tests.helpers import make_customer

    return make_customer(b).customer_id


def _b_removal(b):
    from hostpact.resellers.services.removals import request_removal
    from hostpact.resellers.tests.helpers import make_customer

    return request_removal(b, make_customer(b), actor="system")[0].pk


def _b_domain(b):
    from hostpact.domains.tests.helpers import register
    from hostpact.resellers.tests.helpers import make_customer

    return register(make_customer(b)).name


def _b_forwarded(b):
    from hostpact.resellers.services.forwarding import consent_text, forward_request
    from hostpact.resellers.tests.helpers import make_customer

    return forward_request(b, make_customer(b), kind="access", message="x", channel="support",
                           consent_text=consent_text(b), actor="system").pk


def _b_key(b):
    from hostpact.resellers.tests.api_helpers import key_for

    return key_for(b)[0].key_id


_P = "reseller/<slug:slug>/"
RESELLER_MATRIX = {
    "api/v1/reseller/customers/<ref>": (_b_customer, [("get", "/api/v1/reseller/customers/{}")]),
    "api/v1/reseller/customers/<ref>/opt-out": (
        _b_customer, [("post", "/api/v1/reseller/customers/{}/opt-out")]),
    "api/v1/reseller/removal-requests/<rr_id>": (
        _b_removal, [("get", "/api/v1/reseller/removal-requests/{}")]),
    "api/v1/reseller/domains/<name>": (_b_domain, [("get", "/api/v1/reseller/domains/{}")]),
    **{_P + tail: (lambda b: b.slug, [(m, "/reseller/{}/" + tail)])
       for tail, m in (("", "get"), ("customers/", "get"), ("customers/new/", "post"),
                       ("removals/", "get"), ("opt-outs/", "get"), ("requests/", "get"),
                       ("keys/", "post"), ("keys/log/", "get"), ("members/", "post"),
                       ("settings/", "post"), ("prices/", "post"))},
    _P + "customers/<str:ref>/": (_b_customer, [("get", "/reseller/{a}/customers/{}/")]),
    _P + "customers/<str:ref>/removal/": (
        _b_customer, [("post", "/reseller/{a}/customers/{}/removal/")]),
    _P + "customers/<str:ref>/opt-out/": (
        _b_customer, [("post", "/reseller/{a}/customers/{}/opt-out/")]),
    _P + "customers/<str:ref>/export/": (
        _b_customer, [("post", "/reseller/{a}/customers/{}/export/")]),
    _P + "removals/<int:pk>/": (_b_removal, [("get", "/reseller/{a}/removals/{}/")]),
    _P + "requests/<int:pk>/answered/": (
        _b_forwarded, [("post", "/reseller/{a}/requests/{}/answered/")]),
    _P + "keys/<str:key_id>/revoke/": (_b_key, [("post", "/reseller/{a}/keys/{}/revoke/")]),
}
EXEMPT.update({
    "reseller-logo/<slug:slug>": "a reseller's public logo, the same for everyone",
    "backoffice/resellers/removals/<int:pk>/": "staff only (resellers back-office tests)",
    "backoffice/resellers/forward/ticket/<int:pk>/": "staff only (resellers back-office tests)",
    "backoffice/resellers/forward/request/<int:pk>/": "staff only (resellers back-office "
                                                      "tests)",
})


def routes():
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    return [r for r in walk(get_resolver().url_patterns)
            if "<" in r and not r.startswith(("admin/", "static/"))]


def test_every_object_route_is_in_the_matrix():
    """Each URL or API route with a parameter is either tested below or exempt with a reason."""
    missing = [r for r in routes()
               if r not in MATRIX and r not in RESELLER_MATRIX and r not in EXEMPT]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(MATRIX))
def test_other_subscribers_object_answers_404(route):
    """Logged in (session and bearer token), another subscriber's object answers 404 and the
    answer carries none of its data."""
    owner, intruder = make_subscriber(), make_subscriber()
    build, calls = MATRIX[route]
    ref = build(owner)
    raw, _ = issue_api_token(intruder)
    session = Client()
    session.force_login(intruder)
    for client in (session, Client(HTTP_AUTHORIZATION=f"Bearer {raw}")):
        for method, template in calls:
            if not template.startswith("/api/") and client is not session:
                continue  # pages take the session only
            resp = getattr(client, method)(template.format(ref))
            assert resp.status_code == 404, (route, resp.status_code)
            assert owner.profile.name.encode() not in resp.content
    # and nothing of the owner's changed
    if build is other_invoice:
        assert Invoice.objects.get(number=ref).status == "open"
    elif build is other_domain:
        from hostpact.domains.models import Domain

        assert Domain.objects.get(name=ref).user == owner
    elif build is other_session:
        assert LoginSession.objects.filter(pk=ref).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(RESELLER_MATRIX))
def test_another_resellers_object_answers_404(route):
    """Reseller A's owner (pages) and key (API) get 404 for reseller B's object, and our own
    subscribers get 404 (pages) or 401 (API) for it too."""
    from hostpact.resellers.tests.api_helpers import key_for
    from hostpact.resellers.tests.helpers import make_member, make_reseller

    a, b = make_reseller(), make_reseller()
    build, calls = RESELLER_MATRIX[route]
    ref = build(b)
    member, subscriber = Client(), Client()
    member.force_login(make_member(a))
    subscriber.force_login(make_subscriber())
    key = Client(HTTP_AUTHORIZATION=f"Bearer {key_for(a)[1]}")
    for method, template in calls:
        path = template.format(ref, a=a.slug)
        api = path.startswith("/api/")
        resp = getattr(key if api else member, method)(path)
        assert resp.status_code == 404, (route, resp.status_code)
        assert getattr(subscriber, method)(path).status_code == (401 if api else 404), route
