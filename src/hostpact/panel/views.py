"""The pages that combine several apps: sign-up with a card, the dashboard, "My information",
and the mail we sent the subscriber.

Views stay thin: they validate with the forms and call the services; every write of personal
data happens there, with its audit event.
"""

from html import escape

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts import services as accounts
from hostpact.accounts.models import Profile
from hostpact.accounts.queries import profile_of
from hostpact.billing.models import PaymentMethod
from hostpact.core import clock
from hostpact.core.models import OutboxMessage
from hostpact.core.prepared import Prepared
from hostpact.domains.models import Domain
from hostpact.domains.queries import shown
from hostpact.marketing import lists as mail_lists
from hostpact.panel.forms import SignupForm
from hostpact.panel.signup_flow import sign_up
from hostpact.privacy import controllers, registry, retention, subject_data

# --- sign-up -------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def signup(request):
    """Sign up with a card. The age is checked first: a child's data goes nowhere (C34)."""
    def page(form, status=200):
        return render(request, "panel/signup.html", {
            "form": form, "opt_in_countries": settings.MARKETING_OPT_IN_COUNTRIES,
        }, status=status)

    if request.method == "GET":
        return page(SignupForm())
    return sign_up(request, page, then="panel:dashboard")


# --- the dashboard -------------------------------------------------------------------------

DASHBOARD_CARD = Prepared(lambda p: PaymentMethod.objects.filter(
    user_id=p("user", PaymentMethod._meta.get_field("user")), is_default=True,
).select_related("subject__profile").annotate(two_factor=Exists(TOTPDevice.objects.filter(
    user_id=OuterRef("user_id"), confirmed=True))).order_by("-created_at", "-pk")[:1])


def _dashboard_data(user) -> tuple:
    """(profile, default card, two-factor on?) in one query when the subscriber has a card.

    The card row brings the profile (through its subject) and the two-factor flag along; the
    dashboard is the page every login lands on, so its queries are worth counting.
    """
    card = DASHBOARD_CARD.first(user=user.pk, using=PaymentMethod.objects.db)
    if card is None:
        return profile_of(user), None, accounts.has_two_factor(user)
    try:
        profile = card.subject.profile
    except Profile.DoesNotExist:
        profile = None
    if profile is None or profile.user_id != user.pk:
        profile = profile_of(user)
    return profile, card, card.two_factor


DASHBOARD_DOMAINS = 10
EXPIRY_WARNING_DAYS = 30
DASHBOARD_DOMAIN_ROWS = Prepared(lambda p: Domain.objects.filter(
    user_id=p("user", Domain._meta.get_field("user")),
).exclude(state__in=[Domain.State.TRANSFERRED_OUT, Domain.State.DELETED]).values_list(
    "name", "expires_at", "state").order_by("expires_at", "name")[:DASHBOARD_DOMAINS + 1])


def _dashboard_domains(user) -> tuple[list[dict], bool]:
    """The subscriber's sponsored domains, soonest expiry first, in one query; and whether
    there are more than the dashboard shows."""
    rows = DASHBOARD_DOMAIN_ROWS.rows(user=user.pk, using=Domain.objects.db)
    now = clock.now()
    out = []
    for name, expires_at, state in rows[:DASHBOARD_DOMAINS]:
        days = (expires_at - now).days
        out.append({"name": name, "shown": shown(name), "expires_at": expires_at,
                    "days": days, "state": Domain.State(state).label,
                    "soon": days <= EXPIRY_WARNING_DAYS})
    return out, len(rows) > DASHBOARD_DOMAINS


@login_required
def panel(request):
    profile, card, two_factor = _dashboard_data(request.user)
    domains, more_domains = _dashboard_domains(request.user)
    return render(request, "panel/dashboard.html", {
        "profile": profile, "card": card, "two_factor": two_factor,
        "domains": domains, "more_domains": more_domains,
    })


# --- My information ------------------------------------------------------------------------

NOTHING = '<span class="muted">—</span>'
ASK_SUPPORT = '<span class="muted">Ask support</span>'

# The "Correct" cell of each (model, field): the correctors are registered while the apps get
# ready, so a cell never changes in a process, and looking each up (and reversing its link)
# again on every row of this benchmarked page cost a fifth of its rendering.
_actions: dict[tuple[type, str], str] = {}


def _action(model, field_name: str) -> str:
    """Link the page that corrects a field (``registry.corrector``), or say "Ask support"."""
    found = registry.corrector_for(model, field_name)
    if found is None or not found.url_name:
        return ASK_SUPPORT
    return f'<a href="{escape(reverse(found.url_name))}">{escape(found.text)}</a>'


def _row(item) -> str:
    """Render one table row, every value escaped.

    The page's hot loop: the template engine, or ``format_html``, costs several times more per
    cell than the standard library's ``html.escape``, which escapes the same five characters.
    """
    key = (item.model_class, item.field)
    action = _actions.get(key)
    if action is None:
        action = _actions[key] = _action(item.model_class, item.field)
    purposes = ", ".join(f"<code>{escape(p)}</code>" for p in item.purposes)
    return (f'<tr data-field="{escape(item.app)}.{escape(item.model)}.{escape(item.field)}">'
            f'<th scope="row">{escape(str(item.label))}</th>'
            f"<td>{escape(item.value) if item.value else NOTHING}</td>"
            f"<td><code>{escape(item.category)}</code></td><td>{purposes}</td>"
            f"<td>{action}</td></tr>")


def _information_sections(user):
    """List the page's sections in the apps' registered order; a collapsed section (backup
    codes) shows its first row and counts the others."""
    out, collapsed = [], {}
    # The request's user is loaded already: the data map walk does not read it again.
    held = subject_data.items_for(user.subject_id, known=[user])
    for section, items in subject_data.sections(held):
        model = items[0].model_class
        if model in collapsed:
            collapsed[model]["count"] += 1
            continue
        shown = {"title": section.title,
                 "rows": mark_safe("".join(_row(item) for item in items))}  # noqa: S308
        if section.collapsed:
            collapsed[model] = shown
            shown["count"] = 1
        out.append(shown)
    return out


@login_required
def information(request):
    """My information: every personal item held, from the data map, each with its fix. A
    reseller's customer is told that corrections they cannot make here go to the reseller's
    controller (C38)."""
    return render(request, "panel/information.html",
                  {"sections": _information_sections(request.user),
                   "controller": controllers.for_realm(request.user.realm_id)})


# --- Mail we sent you ------------------------------------------------------------------------

MAIL_PER_PAGE = 25
# Outbox categories that are not mail lists, in plain words.
MAIL_KINDS = {"policy_notice": "Privacy policy notices", "support": "Support"}
MAIL_STATUS = {
    OutboxMessage.Status.QUEUED: "Waiting to be sent",
    OutboxMessage.Status.SENDING: "Being sent",
    OutboxMessage.Status.SENT: "Sent",
    OutboxMessage.Status.FAILED: "Could not be delivered to your mail server",
    OutboxMessage.Status.UNCONFIRMED: "Perhaps sent: sending was interrupted, so it was not "
                                      "tried again",
    OutboxMessage.Status.SKIPPED: "Not sent",
}


def _mail_kind(category: str) -> str:
    """Name the list (or other kind of mail) an outbox ``category`` stands for."""
    try:
        return mail_lists.get(category).title
    except mail_lists.UnknownList:
        return MAIL_KINDS.get(category, category.replace("_", " ").replace("-", " ").capitalize())


def _mail_kept_for() -> str:
    """How long the outbox keeps a message, from its declaration in the data map."""
    declared = registry.for_model(OutboxMessage).fields["subject_line"]
    return retention.get(declared.retention).period


@login_required
def mail(request):
    """The mail the platform sent the subscriber, newest first: subject lines only, never the
    bodies (one query per page; each subject line is decrypted)."""
    rows = (OutboxMessage.objects.filter(subject_id=request.user.subject_id)
            .only("category", "subject_line", "status", "skip_reason", "created_at", "sent_at")
            .order_by("-created_at", "-pk"))
    page = Paginator(rows, MAIL_PER_PAGE).get_page(request.GET.get("page"))
    messages = [{
        "id": m.pk, "date": m.sent_at or m.created_at, "subject": m.subject_line,
        "kind": _mail_kind(m.category), "status": MAIL_STATUS.get(m.status, m.status),
        "why": m.skip_reason if m.status == OutboxMessage.Status.SKIPPED else "",
    } for m in page.object_list]
    return render(request, "panel/mail.html", {
        "page": page, "messages_sent": messages, "kept_for": _mail_kept_for()})
