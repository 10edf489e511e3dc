"""The back office shows each staff role only its data categories and logs every look."""

import pytest
from django.contrib.auth.models import Group

from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.roles import ROLES
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db


def _user_page(client, staff, subscriber):
    client.force_login(staff)
    response = client.get(f"/admin/accounts/user/{subscriber.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_role_exists_as_a_group():
    """The five staff roles are groups after migrating, ready to be given to staff."""
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    assert set(ROLES) == {"support", "billing", "compliance", "marketing", "abuse"}


def test_opening_a_subscriber_writes_a_staff_read_to_the_ledger(client, subscriber):
    """A staff read names the staff member, the subject and the fields shown, never values."""
    staff = make_staff(groups=["support"])
    _user_page(client, staff, subscriber)
    entry = AuditEntry.objects.filter(action="staff.read").latest("seq")
    assert entry.actor == f"staff:{staff.pk}"
    assert entry.subject_id == subscriber.subject_id
    assert entry.object_ref == subscriber.customer_id
    assert {"email", "name", "phone", "city"} <= set(entry.fields)
    assert subscriber.profile.name not in str(entry.fields)


@pytest.mark.commitment("C32")
def test_support_sees_contact_data_but_no_card_or_billing_fields(client, subscriber):
    """Support answers subscribers with their contact data; card fields are not on the page."""
    page = _user_page(client, make_staff(groups=["support"]), subscriber)
    assert subscriber.profile.name in page
    assert subscriber.profile.phone in page
    for hidden in ("field-last4", "field-brand", "field-exp_year", "field-token",
                   "field-date_of_birth"):
        assert hidden not in page
    assert "field-password_status" in page  # whether a password is set, not the hash
    assert subscriber.password not in page


def test_support_opening_a_card_sees_no_card_data(client, subscriber):
    """On a payment method's own page support sees the row's ids, not its card fields."""
    card = subscriber.payment_methods.get()
    client.force_login(make_staff(groups=["support"]))
    page = client.get(f"/admin/billing/paymentmethod/{card.pk}/change/").content.decode()
    assert "field-gateway" in page
    assert "field-last4" not in page and "field-exp_month" not in page


def test_billing_sees_card_summary_and_billing_contact_not_the_token(client, subscriber):
    """Billing sees name, address, email and the card summary; the gateway token stays hidden."""
    card = subscriber.payment_methods.get()
    page = _user_page(client, make_staff(groups=["billing"]), subscriber)
    for shown in ("field-last4", "field-brand", "field-exp_year", "field-name",
                  "field-line1", "field-email"):
        assert shown in page
    assert "field-phone" not in page and "field-date_of_birth" not in page
    assert card.token not in page
    assert "field-token_status" in page


def test_compliance_sees_every_category(client, subscriber):
    """Compliance sees all personal fields, birth date and phone included."""
    page = _user_page(client, make_staff(groups=["compliance"]), subscriber)
    for shown in ("field-date_of_birth", "field-phone", "field-last4", "field-email",
                  "field-name", "field-line1"):
        assert shown in page


def test_marketing_sees_name_and_email_only(client, subscriber):
    """Marketing gets names and email addresses, no postal address, phone or card."""
    page = _user_page(client, make_staff(groups=["marketing"]), subscriber)
    assert "field-email" in page and "field-name" in page
    for hidden in ("field-phone", "field-line1", "field-last4", "field-city"):
        assert hidden not in page


def test_list_page_shows_customer_ids_never_names_or_emails(client, subscriber):
    """The user list carries the customer ID; no name or email is printed on it."""
    client.force_login(make_staff(groups=["compliance"]))
    page = client.get("/admin/accounts/user/").content.decode()
    assert subscriber.customer_id in page
    assert subscriber.profile.name not in page
    assert subscriber.email not in page


def test_search_by_customer_id_and_by_exact_email(client, subscriber, other_subscriber):
    """Staff find a subscriber by customer ID or by email (any case), through the blind index."""
    client.force_login(make_staff(groups=["support"]))
    for term in (subscriber.customer_id, subscriber.email.upper()):
        page = client.get("/admin/accounts/user/", {"q": term}).content.decode()
        assert subscriber.customer_id in page
        assert other_subscriber.customer_id not in page
    page = client.get("/admin/billing/paymentmethod/", {"q": subscriber.email}).content.decode()
    assert subscriber.customer_id in page and other_subscriber.customer_id not in page


def test_staff_without_a_role_and_subscribers_cannot_open_subscribers(client, subscriber):
    """A role is needed to open a subscriber; a subscriber cannot reach the back office."""
    client.force_login(make_staff())
    assert client.get(f"/admin/accounts/user/{subscriber.pk}/change/").status_code == 403
    client.force_login(subscriber)
    response = client.get(f"/admin/accounts/user/{subscriber.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not AuditEntry.objects.filter(action="staff.read").exists()


def test_audit_ledger_is_read_only_and_compliance_only(client, subscriber):
    """Compliance can read the ledger but not change or delete it; support cannot open it."""
    entry = AuditEntry.objects.latest("seq")
    client.force_login(make_staff(groups=["compliance"]))
    assert client.get("/admin/core/auditentry/").status_code == 200
    url = f"/admin/core/auditentry/{entry.pk}/"
    assert client.get(url + "change/").status_code == 200
    client.post(url + "change/", {"action": "forged"})
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action != "forged"
    client.force_login(make_staff(groups=["support"]))
    assert client.get("/admin/core/auditentry/").status_code == 403


def test_outbox_page_shows_delivery_metadata_only(client, subscriber):
    """A queued message's page shows status, not its address, subject line or body."""
    message = OutboxMessage.objects.filter(subject_id=subscriber.subject_id).first()
    client.force_login(make_staff(superuser=True))
    page = client.get(f"/admin/core/outboxmessage/{message.pk}/change/").content.decode()
    assert "field-status" in page
    assert subscriber.email not in page and message.subject_line not in page


def test_superuser_change_saves_only_non_personal_fields_and_audits(client, subscriber):
    """Deactivating a user in the back office writes is_active alone and its audit event."""
    client.force_login(make_staff(superuser=True))
    url = f"/admin/accounts/user/{subscriber.pk}/change/"
    form = {"email_verified_at_0": "", "email_verified_at_1": "", "is_staff": "",
            "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00", "groups": [],
            "last_login_0": "", "last_login_1": "", "is_superuser": "",
            "password_changed_at_0": "", "password_changed_at_1": ""}
    for inline in client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        form.update({f"{management.prefix}-{name}": management[name].value()
                     for name in management.fields})
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    subscriber.refresh_from_db()
    assert subscriber.is_active is False
    entry = AuditEntry.objects.filter(action="staff.change").latest("seq")
    assert "is_active" in entry.fields and entry.subject_id == subscriber.subject_id
    assert subscriber.email.endswith("@example.test")


def _paid_invoice(subscriber):
    from hostpact.billing.models import Price
    from hostpact.billing.services import pay_invoice, place_order

    price = Price.objects.filter(active=True, product__active=True).first()
    placed = place_order(subscriber, price, f"subscriber:{subscriber.customer_id}")
    pay_invoice(placed.invoice, f"subscriber:{subscriber.customer_id}")
    return placed.invoice


def test_billing_sees_invoices_support_sees_only_their_status(client, subscriber):
    """An invoice's billed name, amounts and payment reference are for billing, not support."""
    invoice = _paid_invoice(subscriber)
    url = f"/admin/billing/invoice/{invoice.pk}/change/"
    client.force_login(make_staff(groups=["billing"]))
    page = client.get(url).content.decode()
    for shown in ("field-billed_name", "field-billed_address", "field-total",
                  "field-reference", "field-description"):
        assert shown in page
    entry = AuditEntry.objects.filter(action="staff.read").latest("seq")
    assert entry.subject_id == subscriber.subject_id and "billed_name" in entry.fields
    client.force_login(make_staff(groups=["support"]))
    page = client.get(url).content.decode()
    assert "field-status" in page
    for hidden in ("field-billed_name", "field-total", "field-reference"):
        assert hidden not in page
    listing = client.get("/admin/billing/invoice/").content.decode()
    assert subscriber.customer_id in listing
    assert invoice.number not in listing


def test_every_back_office_page_answers_for_every_role(client, subscriber):
    """Each registered model's list, search and first change page answers 200 or 403, never
    an error, for a superuser and for each role."""
    from django.contrib import admin

    _paid_invoice(subscriber)
    viewers = [make_staff(superuser=True)] + [make_staff(groups=[r]) for r in ROLES]
    for staff in viewers:
        client.force_login(staff)
        for model in admin.site._registry:
            meta = model._meta
            base = f"/admin/{meta.app_label}/{meta.model_name}/"
            for response in (client.get(base), client.get(base, {"q": subscriber.customer_id})):
                assert response.status_code in (200, 403), (staff.groups.first(), base)
            row = model._default_manager.order_by("pk").first()
            if row is not None:
                response = client.get(f"{base}{row.pk}/change/")
                assert response.status_code in (200, 403), (staff.groups.first(), base)
        assert client.get("/admin/").status_code == 200
