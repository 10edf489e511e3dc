"""The policy's pages: /policy/ (C36, C37), old versions, the opt-out link, the panel switch.

Views stay thin: they validate with the forms and call ``services``. On a reseller's host the
policy page adds who controls the visitor's data there (the reseller, policy 10.1) and the
reseller's additions, read from its ``Controller``.
"""

import difflib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hostpact.core import audit, ratelimit, realms
from hostpact.core.http import client_ip
from hostpact.core.models import Subject
from hostpact.privacy import controllers, cookies, registry
from hostpact.privacy.policy import services
from hostpact.privacy.policy.forms import InquiryForm, OptOutForm, UseSwitchForm
from hostpact.privacy.policy.markdown import render as render_markdown
from hostpact.privacy.policy.models import PolicyVersion

log = logging.getLogger(__name__)


def _diff(old: PolicyVersion, new: PolicyVersion) -> list[tuple[str, str]]:
    """(css class, line) of a unified diff; the template escapes every line."""
    lines = difflib.unified_diff(old.text.splitlines(), new.text.splitlines(),
                                 f"version {old.number}", f"version {new.number}",
                                 n=2, lineterm="")
    out = []
    for line in lines:
        kind = ("meta" if line.startswith(("---", "+++", "@@"))
                else "added" if line.startswith("+") else "removed" if line.startswith("-")
                else "same")
        out.append((kind, line))
    return out


def annex() -> list[dict]:
    """The data-map annex: one row per data category, generated from the registry."""
    by_category: dict[str, dict] = {}
    for row in registry.rows():
        if not row["personal"]:
            continue
        entry = by_category.setdefault(row["category"], {
            "category": row["category"], "items": [], "purposes": [], "retention": [],
            "erasure": [], "legal_basis": []})
        for key, value in [("purposes", row["purposes"]), ("retention", [row["retention_period"]]),
                           ("erasure", [row["erasure"]]), ("legal_basis", [row["legal_basis"]])]:
            for v in value:
                if v and v not in entry[key]:
                    entry[key].append(v)
    return [by_category[k] for k in sorted(by_category)]


def recipients() -> list[dict]:
    """Kinds of recipients and what each kind may receive, from the disclosures registry."""
    from hostpact.privacy.disclosures.models import Recipient

    kinds: dict[str, dict] = {}
    for r in Recipient.objects.filter(active=True).order_by("kind", "slug"):
        entry = kinds.setdefault(r.kind, {"kind": r.get_kind_display(), "roles": [],
                                          "categories": [], "purposes": []})
        for key, values in [("roles", [r.get_role_display()] if r.role else []),
                            ("categories", r.allowed_categories or []),
                            ("purposes", r.allowed_purposes or [])]:
            for v in values:
                if v not in entry[key]:
                    entry[key].append(v)
    return list(kinds.values())


def _history():
    versions = list(PolicyVersion.objects.order_by("number"))
    out = []
    for previous, version in zip([None, *versions], versions, strict=False):
        out.append({"version": version,
                    "diff": _diff(previous, version) if previous else []})
    return list(reversed(out))


@require_http_methods(["GET", "POST"])
def policy(request):
    """The policy in force, the upcoming one, the history with diffs, contact, questions, annex."""
    form = InquiryForm()
    status = 200
    if request.method == "POST":
        form = InquiryForm(request.POST)
        limit = settings.POLICY_INQUIRY_RATE_PER_HOUR
        if ratelimit.hit("policy-inquiry", client_ip(request), 3600) > limit:
            form.is_valid()
            form.add_error(None, "Too many questions from your address; try again in an hour, "
                                 "or write to us by email.")
            status = 429
        elif form.is_valid():
            inquiry = services.ask_question(**form.cleaned_data)
            messages.success(request, f"Thank you: your question was received (reference "
                                      f"Q-{inquiry.pk}). We sent a confirmation to your email.")
            return redirect(reverse("policy:current") + "#questions")
        else:
            status = 400
    current = services.in_force()
    controller = controllers.for_realm(realms.current())
    additions = (render_markdown(controller.policy_additions)
                 if controller and controller.policy_additions else "")
    return render(request, "policy/policy.html", {
        "controller": controller, "additions": additions,
        "current": current, "html": render_markdown(current.text) if current else "",
        "upcoming": services.upcoming(), "history": _history(),
        "contact": services.legal_contact(), "form": form, "annex": annex(),
        "recipients": recipients(), "cookies": cookies.cookies(),
    }, status=status)


def cookies_page(request):
    """Every declared cookie: name, category, purpose, lifetime, party and provider (C06)."""
    return render(request, "policy/cookies.html", {
        "cookies": cookies.cookies(), "categories": [
            (name, cookies.CATEGORY_TEXT[name]) for name in cookies.CATEGORIES]})


def version(request, number: int):
    """One published version, in force or not."""
    version = get_object_or_404(PolicyVersion, number=number)
    current = services.in_force()
    return render(request, "policy/version.html", {
        "version": version, "html": render_markdown(version.text),
        "is_current": current is not None and current.pk == version.pk,
        "is_upcoming": version in services.upcoming(),
    })


@require_http_methods(["GET", "POST"])
def opt_out(request, token: str):
    """The notice's link: opt out of a version's new uses, without logging in."""
    try:
        version, subject_id = services.read_optout_token(token)
    except (signing.BadSignature, PolicyVersion.DoesNotExist, KeyError, ValueError):
        raise Http404("This link is not valid.") from None
    if not Subject.objects.filter(pk=subject_id).exists():
        raise Http404("This link is not valid.")
    form = OptOutForm(version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.opt_out(subject_id, version, form.cleaned_data["uses"],
                         actor=f"subject:{subject_id}")
        return render(request, "policy/opt_out_done.html", {
            "version": version, "uses": form.cleaned_data["uses"]})
    standing = services.opted_out_uses(subject_id)
    return render(request, "policy/opt_out.html", {
        "version": version, "form": form, "standing": [u for u in version.new_uses
                                                       if u in standing],
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def panel_privacy(request):
    """The panel's switch: each use a material version added, on or off."""
    subject_id = request.user.subject_id
    if request.method == "POST":
        form = UseSwitchForm(request.POST)
        if form.is_valid():
            try:
                services.set_use(subject_id, form.cleaned_data["use"],
                                 on=form.cleaned_data["on"],
                                 actor=audit.actor_of(request.user))
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
                return redirect("policy:choices")
            messages.success(request, "Your choice was saved.")
            return redirect("policy:choices")
        messages.error(request, "Choose a use and whether it is on or off.")
        return redirect("policy:choices")
    return render(request, "policy/panel_privacy.html", {
        "uses": services.uses_for(subject_id), "current": services.in_force(),
        "upcoming": services.upcoming(),
    })
