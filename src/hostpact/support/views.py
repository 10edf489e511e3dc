"""The support desk's public page: the contact form, which opens the same tickets as mail."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hostpact.core import ratelimit
from hostpact.core.http import client_ip
from hostpact.support import services
from hostpact.support.forms import ContactForm
from hostpact.support.models import Ticket


@require_http_methods(["GET", "POST"])
def contact(request):
    """Write to support, abuse or compliance; the ticket is acknowledged by mail."""
    form = ContactForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        limit = settings.SUPPORT_CONTACT_RATE_PER_HOUR
        if ratelimit.hit("support-contact", client_ip(request), 3600) > limit:
            form.is_valid()
            form.add_error(None, "Too many messages from your address; try again in an hour, "
                                 f"or write to support@{settings.MAIL_DOMAIN}.")
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            ticket = services.open_ticket(data["topic"], services.Incoming(
                return_address=data["email"], name=data["name"], subject_line=data["subject"],
                body=data["message"]), channel=Ticket.Channel.WEB)
            return render(request, "support/received.html", {"ticket": ticket,
                                                             "email": data["email"]},
                          status=201)
    return render(request, "support/contact.html", {
        "form": form, "mail_domain": settings.MAIL_DOMAIN}, status=status)
