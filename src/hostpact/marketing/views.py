"""The marketing pages: the preference centre in the panel, and the unsubscribe link's page.

``/u/<token>`` needs no login and sets no cookie: a GET only shows the list, the state and one
button (link scanners open links, so a GET changes nothing); a POST, the button's or a mail
program's RFC 8058 one-click (``List-Unsubscribe=One-Click``), unsubscribes at once. The page
shows no cookie banner and no CSRF token: the token in the URL is the credential.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from hostpact.consent import email as measurement
from hostpact.core import audit
from hostpact.marketing import lists, tokens
from hostpact.marketing import unsubscribe as links
from hostpact.marketing.forms import ListSwitchForm, MeasurementForm
from hostpact.marketing.services import subscriptions
from hostpact.privacy import controllers
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased

Method = subscriptions.Method


def _bad_token(request, exc: tokens.BadToken):
    return render(request, "marketing/unsubscribe_invalid.html", {
        "expired": isinstance(exc, tokens.ExpiredToken), "consent_page": True,
    }, status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Show the list and one button (GET); unsubscribe at once (POST, one-click or button)."""
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        try:
            outcome = links.unsubscribe_by_token(
                token, method=Method.ONE_CLICK if one_click else Method.LINK)
        except tokens.BadToken as exc:
            return _bad_token(request, exc)
        return render(request, "marketing/unsubscribed.html", {
            "list": outcome.list, "changed": outcome.changed, "consent_page": True})
    try:
        _found, mail_list, subscribed = links.state_of(token)
    except tokens.BadToken as exc:
        return _bad_token(request, exc)
    return render(request, "marketing/unsubscribe.html", {
        "list": mail_list, "subscribed": subscribed, "token": token, "consent_page": True})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Every list with its state and history; a switch per list and for email measurement."""
    user = request.user
    if request.method == "POST":
        actor = audit.actor_of(user)
        try:
            if "allowed" in request.POST:
                form = MeasurementForm(request.POST)
                if form.is_valid():
                    measurement.record_measurement(user, form.cleaned_data["allowed"])
                    messages.success(request, "Your choice about email measurement was saved.")
                    return redirect("marketing:preferences")
            else:
                form = ListSwitchForm(request.POST)
                if form.is_valid():
                    key, on = form.cleaned_data["list_key"], form.cleaned_data["subscribed"]
                    subscriptions.set_subscription(user.subject_id, key, on,
                                                   method=Method.PANEL, actor=actor)
                    title = lists.get(key).title
                    messages.success(request, f"You are now subscribed to {title}." if on
                                     else f"You left {title}.")
                    return redirect("marketing:preferences")
        except SubjectErased:
            return erasure_started(request)
        return _page(request, errors=[e for errs in form.errors.values() for e in errs],
                     status=400)
    return _page(request)


def _page(request, *, errors=(), status=200):
    subject_id = request.user.subject_id
    receipts = measurement.measurement_history(subject_id)
    return render(request, "marketing/preferences.html", {
        "lists": subscriptions.subscriptions_of(subject_id),
        "history": subscriptions.history_of(subject_id),
        "measurement_on": bool(receipts) and measurement.CATEGORY in receipts[0].granted,
        "measurement_receipts": receipts, "measurement_text": measurement.TEXT,
        "not_leavable_why": lists.NOT_LEAVABLE_WHY, "errors": errors,
        # A reseller's customer stops the reseller's contact through the reseller (10.2).
        "controller": controllers.for_realm(request.user.realm_id),
    }, status=status)
