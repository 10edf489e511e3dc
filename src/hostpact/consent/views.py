"""The consent pages: the choice (POST /consent/, form or JSON), the cookie settings page, the
receipt download and ``/.well-known/gpc.json``.

Every POST writes one receipt and sets ``hp_consent``; withdrawing or refusing a category
answers with the deletion of that category's first-party cookies, at once.
"""

import json

from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.consent import banner, services, state, versions
from hostpact.consent.middleware import set_consent_cookie
from hostpact.core.problems import PROBLEM_TYPE
from hostpact.privacy import cookies

ACTIONS = ("accept", "reject", "save")
JSON_ACTIONS = (*ACTIONS, "gpc")  # the page script reports navigator.globalPrivacyControl


class BadChoice(Exception):
    """A choice naming unknown categories or actions; ``errors`` says which."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def _same_site(request, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


def _next(request) -> str:
    """The same-site page to go back to: ``next``, else the referring page, else home."""
    found = _same_site(request, request.POST.get("next") or request.GET.get("next"))
    if found is None:
        referer = request.META.get("HTTP_REFERER", "")
        host = f"{request.scheme}://{request.get_host()}"
        if referer.startswith(host + "/"):
            found = _same_site(request, referer[len(host):])
    return found or reverse("storefront:home")


def _unknown(names) -> dict[str, list[str]]:
    bad = cookies.check_categories(names)
    if not bad:
        return {}
    return {"categories": [f"unknown categor{'y' if len(bad) == 1 else 'ies'}: "
                           + ", ".join(repr(b) for b in bad)
                           + f" (known: {', '.join(cookies.CATEGORIES)})"]}


def _decide(consent: state.Consent, data: dict, *, gpc: bool):
    """Return (method, granted, explicit advertising opt-in) for a choice's fields."""
    action, grant, withdraw = data.get("action"), data.get("grant"), data.get("withdraw")
    chosen = list(data.get("categories") or [])
    errors = _unknown(chosen + [c for c in (grant, withdraw) if c])
    known = JSON_ACTIONS if data.get("json") else ACTIONS
    if action and action not in known:
        errors.setdefault("action", []).append(
            f"unknown action {action!r} (known: {', '.join(known)})")
    if errors:
        raise BadChoice(errors)
    before = set(consent.granted) if consent.chosen else {cookies.REQUIRED}
    if action == "gpc":
        return "gpc", before - {cookies.ADVERTISING}, False
    if withdraw:
        return "withdraw", before - {withdraw}, False
    if grant:
        return "save", before | {grant}, grant == cookies.ADVERTISING
    if action == "accept":
        everything = set(cookies.CATEGORIES)
        # Under GPC "Accept all" leaves advertising off: only ticking it opts in.
        return "accept", everything - {cookies.ADVERTISING} if gpc else everything, False
    if action == "reject":
        return "reject", {cookies.REQUIRED}, False
    granted = set(chosen) | {cookies.REQUIRED}
    return "save", granted, cookies.ADVERTISING in granted


def _payload(request) -> tuple[dict, bool]:
    """The choice's fields and whether it came as JSON."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise BadChoice({"body": ["the body is not valid JSON"]}) from None
        if not isinstance(body, dict) or not isinstance(body.get("categories", []), list) \
                or not all(isinstance(c, str) for c in body.get("categories", [])):
            raise BadChoice({"categories": ["give a list of category names"]})
        return {"action": body.get("action") or "save", "categories": body.get("categories"),
                "gpc": body.get("gpc") is True or body.get("action") == "gpc", "json": True}, True
    post = request.POST
    return {"action": post.get("action") or ("save" if "categories" in post else None),
            "categories": post.getlist("categories"), "grant": post.get("grant"),
            "withdraw": post.get("withdraw")}, False


def _apply(request, response, data: dict) -> None:
    """Record the choice, set ``hp_consent`` and delete the cookies of what is refused."""
    consent = request.consent if hasattr(request, "consent") else state.NOTHING
    gpc = consent.gpc or data.get("gpc", False)
    method, granted, opt_in = _decide(consent, data, gpc=gpc)
    consent_id = consent.consent_id or state.new_consent_id()
    if gpc and cookies.ADVERTISING in granted and not opt_in and not consent.ad_opt_in:
        granted = granted - {cookies.ADVERTISING}
    opt_in = (opt_in or consent.ad_opt_in) and cookies.ADVERTISING in granted
    gpc_recorded = consent.gpc_recorded or gpc
    chosen = method != "gpc" or consent.chosen
    services.record_choice(consent_id, granted, method=method, user=getattr(request, "user", None),
                           gpc=gpc, refused=[cookies.ADVERTISING] if method == "gpc" else None)
    flags = ((state.CHOSEN if chosen else 0) | (state.GPC_RECORDED if gpc_recorded else 0)
             | (state.AD_OPT_IN if opt_in else 0))
    set_consent_cookie(response, state.Stored(
        frozenset(granted), versions.policy_version(), versions.banner_revision(), consent_id,
        state.now_seconds(), flags))
    for category in cookies.OPTIONAL:
        if category in granted:
            continue
        for declared in cookies.of_category(category):
            if declared.party != "first":
                continue
            names = ([n for n in request.COOKIES if declared.matches(n)]
                     if declared.name.endswith("*") else [declared.name])
            for name in names:
                if name in request.COOKIES or method == "withdraw":
                    response.delete_cookie(name)
    request.consent = state.Consent(granted=frozenset(granted), chosen=chosen, gpc=consent.gpc,
                                    consent_id=consent_id, gpc_recorded=gpc_recorded,
                                    ad_opt_in=opt_in)


def _settings_page(request, *, errors=None, status=200):
    consent = state.of(request)
    return render(request, "consent/settings.html", {
        **banner.context(consent, next_path=_next(request), page=True),
        "errors": errors or {}, "receipt": services.last_receipt(consent.consent_id),
    }, status=status)


@require_http_methods(["GET", "POST"])
def choose(request):
    """GET: the cookie settings page (no JavaScript needed). POST: record a choice."""
    if request.method == "GET":
        return _settings_page(request)
    try:
        data, is_json = _payload(request)
        response = HttpResponse(status=204) if is_json else HttpResponseRedirect(_next(request))
        if not is_json and not (data["action"] or data["grant"] or data["withdraw"]):
            raise BadChoice({"action": ["choose accept, reject or save"]})
        _apply(request, response, data)
    except BadChoice as exc:
        if request.content_type == "application/json":
            return JsonResponse({"type": "about:blank", "status": 400, "title": "Bad Request",
                                 "detail": str(exc), "errors": exc.errors},
                                status=400, content_type=PROBLEM_TYPE)
        return _settings_page(request, errors=exc.errors, status=400)
    return response


@require_GET
def receipt(request):
    """Download the receipt of the visitor's last choice, as JSON."""
    found = services.last_receipt(state.of(request).consent_id)
    if found is None:
        raise Http404("No cookie choice is recorded for this browser.")
    response = JsonResponse(found.receipt(), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="consent-receipt-{found.consent_id}.json"')
    return response


@require_GET
def gpc_json(request):
    """``/.well-known/gpc.json``: we honour GPC, since the policy in force took effect."""
    body = {"gpc": True}
    effective = versions.policy_effective_at()
    if effective is not None:
        body["lastUpdate"] = f"{timezone.localtime(effective).date():%Y-%m-%d}"
    return JsonResponse(body)
