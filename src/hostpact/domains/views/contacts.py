"""The subscriber's domain contacts in the panel, and the registrant verification link.

Views stay thin: they validate with the forms and call the contact services. Every contact is
looked up together with its owner, so another subscriber's handle answers 404, never its data.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.core import audit, ratelimit
from hostpact.domains.forms import ContactForm
from hostpact.domains.models import Contact, DomainContact
from hostpact.domains.registry import CONTACT_FIELDS
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.contacts import set_publish, update_contact
from hostpact.domains.services.verification import (
    is_registrant,
    send_registrant_verification,
    suspension_date,
    verify_contact_email,
)
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased

PER_PAGE = 25
RESENDS_PER_HOUR = 5


class PublishForm(forms.Form):
    publish = forms.BooleanField(
        label="Publish this contact in WHOIS and RDAP", required=False,
        help_text="Unticked (the default), these details stay hidden from public lookups.")


def _actor(request) -> str:
    return audit.actor_of(request.user)


def _own_contact(request, handle: str) -> Contact:
    return get_object_or_404(Contact, handle=handle.strip().upper(), user=request.user)


def _uses(contact: Contact) -> list[dict]:
    """Return the domains ``contact`` serves, each with the roles it holds there."""
    uses: dict[str, dict] = {}
    for role in (DomainContact.objects.filter(contact=contact).select_related("domain")
                 .order_by("domain__name", "role")):
        entry = uses.setdefault(role.domain.name, {"domain": role.domain, "roles": []})
        entry["roles"].append(role.get_role_display())
    return list(uses.values())


@login_required
@require_GET
def contact_list(request):
    contacts = Contact.objects.filter(user=request.user).order_by("pk")
    page = Paginator(contacts, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"contact": c, "uses": _uses(c)} for c in page]
    return render(request, "domains/contacts/list.html", {"page": page, "rows": rows})


def _save(request, contact: Contact):
    form = ContactForm(data=request.POST)
    if form.is_valid():
        data = {k: form.cleaned_data.get(k) or "" for k in CONTACT_FIELDS}
        try:
            changed = update_contact(contact, data, actor=_actor(request))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "The contact is updated." if changed
                             else "Nothing changed.")
            if "email" in changed and is_registrant(contact):
                messages.info(request, "We mailed a confirmation link to the new address.")
            return None
    return form


def _publish(request, contact: Contact) -> None:
    form = PublishForm(data=request.POST)
    form.is_valid()  # a checkbox: absent means False, nothing else can be wrong
    on = bool(form.cleaned_data.get("publish"))
    try:
        set_publish(contact, on, actor=_actor(request))
    except DomainError as exc:
        messages.error(request, str(exc))
        return
    messages.success(request, "The contact will be published in WHOIS and RDAP." if on
                     else "The contact is not published.")


def _resend(request, contact: Contact) -> None:
    if contact.email_verified_at:
        messages.info(request, "This email address is confirmed already.")
    elif not is_registrant(contact):
        messages.info(request, "Only a registrant's email address needs confirming.")
    elif ratelimit.hit("contact-verify-resend", str(contact.pk), 3600) > RESENDS_PER_HOUR:
        messages.error(request, "We sent several links already; please try again in an hour.")
    else:
        send_registrant_verification(contact)
        messages.success(request, f"We sent a new confirmation link to {contact.email}.")


@login_required
@require_http_methods(["GET", "POST"])
def contact_detail(request, handle: str):
    contact = _own_contact(request, handle)
    form, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "publish":
                _publish(request, contact)
            elif action == "resend":
                _resend(request, contact)
            else:
                form = _save(request, contact)
        except SubjectErased:
            return erasure_started(request)
        if form is None:
            return redirect("domains:contact", contact.handle)
        status = 400
    contact.refresh_from_db()
    if form is None:
        form = ContactForm(initial={k: getattr(contact, k) or "" for k in CONTACT_FIELDS})
    return render(request, "domains/contacts/detail.html", {
        "contact": contact, "form": form, "uses": _uses(contact),
        "publish_form": PublishForm(initial={"publish": contact.publish}),
        "registrant": is_registrant(contact), "deadline": suspension_date(contact),
    }, status=status)


@require_GET
def verify_contact(request, token: str):
    try:
        contact = verify_contact_email(token)
    except signing.SignatureExpired:
        return _message(request, "Link expired", "This confirmation link has expired. The "
                        "domain's owner can send a new one from the control panel.", 400)
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return _message(request, "Link not valid", "This confirmation link is not valid, or "
                        "it was sent for an earlier email address.", 400)
    except SubjectErased:
        return erasure_started(request)
    return _message(request, "Email address confirmed",
                    f"Thank you: the email address of the domain contact {contact.handle} is "
                    "confirmed. Any suspension for an unconfirmed address is lifted.")


def _message(request, title: str, text: str, status: int = 200):
    return render(request, "domains/contacts/message.html", {"title": title, "text": text},
                  status=status)
