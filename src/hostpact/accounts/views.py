"""The subscriber's web pages: sign-up, login (with two-factor), password reset, the panel.

Views stay thin: they validate with the forms and call ``services``; every write of personal
data happens there, with its audit event.
"""

import base64
import logging
from html import escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts import auth, forms, services
from hostpact.accounts.models import BackupCodeDevice, LoginSession, Profile
from hostpact.accounts.validation import is_under_min_age
from hostpact.billing.gateway import CardError
from hostpact.billing.models import PaymentMethod
from hostpact.billing.services import default_card
from hostpact.core import audit, clock, ratelimit
from hostpact.core.http import client_ip
from hostpact.core.prepared import Prepared
from hostpact.privacy import subject_data

log = logging.getLogger(__name__)
PENDING_KEY = "hostpact.pre2fa"

UNDER_13_TEXT = ("We do not accept sign-ups from children under 13. Nothing you entered has "
                 "been stored.")


def _safe_next(request, default="/panel/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _profile(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def home(request):
    return render(request, "accounts/home.html")


# --- sign-up and email verification --------------------------------------------------------

@require_http_methods(["GET", "POST"])
def signup(request):
    """Sign up with a card. The age is checked first: a child's data goes nowhere (C34)."""
    if request.method == "GET":
        return render(request, "accounts/signup.html", {"form": forms.SignupForm()})
    try:
        birth = forms.SignupForm.base_fields["date_of_birth"].clean(
            request.POST.get("date_of_birth", ""))
    except ValidationError:
        birth = None
    if birth is not None and is_under_min_age(birth):
        services.refuse_child()
        return render(request, "accounts/signup_refused.html", {"text": UNDER_13_TEXT},
                      status=403)
    if ratelimit.hit("signup", client_ip(request), 3600) > settings.SIGNUP_RATE_PER_HOUR:
        messages.error(request, "Too many sign-ups from this address; try again in an hour.")
        return render(request, "accounts/signup.html", {"form": forms.SignupForm()}, status=429)
    form = forms.SignupForm(data=request.POST)
    if form.is_valid():
        try:
            result = services.signup(form.cleaned_data)
        except services.UnderMinimumAge:
            return render(request, "accounts/signup_refused.html", {"text": UNDER_13_TEXT},
                          status=403)
        except services.EmailTaken:
            form.add_error("email", "An account with this email exists already. Log in, or "
                                    "reset your password if you forgot it.")
        except services.SignupRefused as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            login(request, result.user, backend=auth.BACKEND)
            messages.success(request, "Welcome to hostpact! We sent a link to your email "
                                      "address: please open it to confirm the address.")
            return redirect("/panel/")
    return render(request, "accounts/signup.html", {"form": form}, status=400)


def verify_email(request, token):
    try:
        user = services.confirm_email(token)
    except signing.SignatureExpired:
        return _message(request, "Link expired", "This confirmation link has expired. Sign in "
                        "and ask for a new one from the control panel.", 400)
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return _message(request, "Link not valid", "This confirmation link is not valid or "
                        "was already used.", 400)
    except services.EmailTaken:
        return _message(request, "Address already in use", "Another account uses this email "
                        "address now, so it cannot become yours.", 409)
    except services.User.DoesNotExist:
        return _message(request, "Link not valid", "This confirmation link is not valid.", 400)
    messages.success(request, "Thank you: your email address is confirmed.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("/panel/")
    return redirect("/login/")


@login_required
@require_POST
def resend_verification(request):
    user = request.user
    if ratelimit.hit("verify-resend", str(user.pk), 3600) > 5:
        messages.error(request, "We sent several links already; please try again in an hour.")
    elif user.pending_email:
        services.send_verification(user, user.pending_email)
        messages.success(request, "We sent a new link to your new email address.")
    elif not user.email_verified_at:
        services.send_verification(user)
        messages.success(request, "We sent a new confirmation link to your email address.")
    return redirect("/panel/")


def _message(request, title, text, status=200):
    return render(request, "accounts/message.html", {"title": title, "text": text},
                  status=status)


# --- login, two-factor step, logout --------------------------------------------------------

@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.method == "GET":
        if request.user.is_authenticated:
            return redirect(_safe_next(request))
        return render(request, "accounts/login.html",
                      {"form": forms.LoginForm(), "next": _safe_next(request, "")})
    form = forms.LoginForm(data=request.POST)
    context = {"form": form, "next": _safe_next(request, "")}
    if not form.is_valid():
        return render(request, "accounts/login.html", context, status=400)
    name, password = form.cleaned_data["username"], form.cleaned_data["password"]
    attempt = auth.attempt_for(client_ip(request), name)
    try:
        user = auth.check_password(request, attempt, name, password)
    except auth.LockedOut as exc:
        form.add_error(None, exc.message())
        return render(request, "accounts/login.html", context, status=429)
    except auth.BadCredentials:
        form.add_error(None, "The email or customer ID and password do not match an account.")
        return render(request, "accounts/login.html", context, status=400)
    if services.has_two_factor(user):
        request.session[PENDING_KEY] = {"u": user.pk, "at": clock.now().timestamp(),
                                        "next": context["next"]}
        return redirect("/login/verify/")
    auth.clear_account_failures(attempt)
    login(request, user, backend=auth.BACKEND)
    return redirect(context["next"] or "/panel/")


@require_http_methods(["GET", "POST"])
def login_verify(request):
    """The second step for a subscriber with two-factor: a TOTP or a backup code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or clock.now().timestamp() - pending["at"] > auth.PENDING_TTL.total_seconds():
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "Please sign in again.")
        return redirect("/login/")
    user = services.User.objects.filter(pk=pending["u"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("/login/")
    form = forms.CodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        attempt = auth.attempt_for(client_ip(request), user.customer_id)
        try:
            device = auth.check_second_factor(user, attempt, form.cleaned_data["code"])
        except auth.LockedOut as exc:
            request.session.pop(PENDING_KEY, None)
            form.add_error(None, exc.message())
            return render(request, "accounts/login_verify.html", {"form": form}, status=429)
        except auth.BadCredentials:
            form.add_error("code", "This code is not valid. Codes change every 30 seconds; "
                                   "a backup code works only once.")
            return render(request, "accounts/login_verify.html", {"form": form}, status=400)
        request.session.pop(PENDING_KEY, None)
        user.otp_device = device  # django-otp marks the new session verified with it
        login(request, user, backend=auth.BACKEND)
        if isinstance(device, BackupCodeDevice):
            left = device.codes.count()
            messages.warning(request, f"You used a backup code; {left} remain. Make new ones "
                                      "on the security page if you run low.")
        return redirect(pending.get("next") or "/panel/")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("/")


# --- password reset ------------------------------------------------------------------------

RESET_SENT = ("If an account uses this address, we sent it a link to choose a new password. "
              "The link works for {minutes} minutes.")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = forms.PasswordResetRequestForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address has an account.
        if ratelimit.hit("password-reset", client_ip(request), 3600) <= 10:
            services.send_password_reset(form.cleaned_data["email"])
        return _message(request, "Check your email",
                        RESET_SENT.format(minutes=settings.PASSWORD_RESET_TIMEOUT // 60))
    return render(request, "accounts/password_reset.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64, token):
    user = services.user_for_reset(uidb64, token)
    if user is None:
        return _message(request, "Link not valid", "This password reset link is not valid, "
                        "was already used or has expired. Ask for a new one.", 400)
    form = forms.NewPasswordFields(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_password(user, form.cleaned_data["new_password1"],
                              f"subscriber:{user.customer_id}")
        messages.success(request, "Your password is changed, and every signed-in session "
                                  "was signed out. Log in with the new password.")
        return redirect("/login/")
    return render(request, "accounts/password_reset_confirm.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- control panel -------------------------------------------------------------------------

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
        return _profile(user), None, services.has_two_factor(user)
    try:
        profile = card.subject.profile
    except Profile.DoesNotExist:
        profile = None
    if profile is None or profile.user_id != user.pk:
        profile = _profile(user)
    return profile, card, card.two_factor


@login_required
def panel(request):
    profile, card, two_factor = _dashboard_data(request.user)
    return render(request, "accounts/panel/dashboard.html", {
        "profile": profile, "card": card, "two_factor": two_factor,
    })


SECTION_TITLES = {
    "accounts.User": "Account", "accounts.Profile": "Contact, address and date of birth",
    "billing.PaymentMethod": "Card", "accounts.LoginSession": "Signed-in session",
    "otp_totp.TOTPDevice": "Authenticator app", "accounts.BackupCode": "Backup codes",
    "core.OutboxMessage": "Email we sent you",
}
CORRECTIONS = {
    ("accounts.User", "email"): ("/panel/information/email/", "Change email"),
    ("accounts.User", "pending_email"): ("/panel/information/email/", "Change email"),
    ("accounts.User", "password"): ("/panel/security/", "Change password"),
    ("accounts.Profile", None): ("/panel/information/contact/", "Correct"),
    ("billing.PaymentMethod", None): ("/panel/information/card/", "Replace card"),
    ("accounts.LoginSession", None): ("/panel/security/", "Sign out"),
    ("otp_totp.TOTPDevice", None): ("/panel/security/", "Manage two-factor"),
    ("accounts.BackupCode", None): ("/panel/security/", "Manage backup codes"),
}
FIRST = ("accounts.User", "accounts.Profile", "billing.PaymentMethod")
COLLAPSED = {"accounts.BackupCode"}


NOTHING = '<span class="muted">—</span>'
ASK_SUPPORT = '<span class="muted">Ask support</span>'


def _row(key: str, item) -> str:
    """One table row, every value escaped.

    The page's hot loop: the template engine, or ``format_html``, costs several times more per
    cell than the standard library's ``html.escape``, which escapes the same five characters.
    """
    link = CORRECTIONS.get((key, item.field)) or CORRECTIONS.get((key, None))
    action = f'<a href="{escape(link[0])}">{escape(link[1])}</a>' if link else ASK_SUPPORT
    purposes = ", ".join(f"<code>{escape(p)}</code>" for p in item.purposes)
    return (f'<tr data-field="{escape(item.app)}.{escape(item.model)}.{escape(item.field)}">'
            f'<th scope="row">{escape(str(item.label))}</th>'
            f"<td>{escape(item.value) if item.value else NOTHING}</td>"
            f"<td><code>{escape(item.category)}</code></td><td>{purposes}</td>"
            f"<td>{action}</td></tr>")


def _information_sections(user):
    out, collapsed = [], {}
    # The request's user is loaded already: the data map walk does not read it again.
    held = subject_data.items_for(user.subject_id, known=[user])
    for title, items in subject_data.sections(held, FIRST):
        key = f"{items[0].app}.{items[0].model}"
        if key in collapsed:
            collapsed[key]["count"] += 1
            continue
        section = {"title": SECTION_TITLES.get(key, title),
                   "rows": mark_safe("".join(_row(key, item) for item in items))}  # noqa: S308
        if key in COLLAPSED:
            collapsed[key] = section
            section["count"] = 1
        out.append(section)
    return out


@login_required
def information(request):
    """My information: every personal item held, from the data map, each with its fix."""
    return render(request, "accounts/panel/information.html",
                  {"sections": _information_sections(request.user)})


def _actor(request) -> str:
    return audit.actor_of(request.user)


@login_required
@require_http_methods(["GET", "POST"])
def edit_contact(request):
    profile = _profile(request.user)
    if profile is None:
        return _message(request, "No profile", "Staff accounts have no subscriber profile.",
                        404)
    if request.method == "POST":
        form = forms.ProfileForm(data=request.POST)
        if form.is_valid():
            changes = {k: form.cleaned_data.get(k) or "" for k in services.PROFILE_FIELDS}
            try:
                changed = services.update_profile(request.user, changes, _actor(request))
            except services.UnderMinimumAge:
                form.add_error("date_of_birth", forms.MIN_AGE_MESSAGE)
            else:
                messages.success(request, "Your information is updated." if changed
                                 else "Nothing changed.")
                return redirect("/panel/information/")
    else:
        form = forms.ProfileForm(initial={k: getattr(profile, k) or ""
                                          for k in services.PROFILE_FIELDS})
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Correct your contact information", "submit": "Save changes",
        "intro": "Your name, phone number, postal address and date of birth.",
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_email(request):
    form = forms.EmailChangeForm(request.user,
                                 data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.hit("email-change", str(request.user.pk), 3600) > 10:
            form.add_error(None, "Too many changes in an hour; please try again later.")
        else:
            try:
                pending = services.request_email_change(request.user, form.cleaned_data["email"],
                                                        _actor(request))
            except services.EmailTaken:
                form.add_error("email", "Another account uses this email address.")
            else:
                messages.success(request, "We sent a link to your new address. Your login email "
                                 "changes when you open it." if pending
                                 else "This is already your email address.")
                return redirect("/panel/information/")
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Change your email address", "submit": "Send confirmation link",
        "intro": f"Your login email is {request.user.email}."
                 + (f" A change to {request.user.pending_email} awaits confirmation."
                    if request.user.pending_email else ""),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def edit_card(request):
    form = forms.CardForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.replace_card(request.user, data["card_number"], data["card_exp_month"],
                                  data["card_exp_year"], data["card_cvc"], _actor(request))
        except CardError as exc:
            form.add_error(f"card_{exc.field}" if f"card_{exc.field}" in form.fields else None,
                           str(exc))
        else:
            messages.success(request, "Your new card is saved and will be used for payments.")
            return redirect("/panel/information/")
    card = default_card(request.user)
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Replace your card", "submit": "Save card",
        "intro": (f"Current card: {card.summary}. " if card else "")
        + "The card number goes to our payment gateway; we keep only its brand, last 4 digits "
          "and expiry.",
    }, status=400 if request.method == "POST" else 200)


# --- security page -------------------------------------------------------------------------

def _security(request, *, password_form=None, disable_form=None, codes_form=None, status=200):
    user = request.user
    services.prune_login_sessions(user)
    sessions = LoginSession.objects.filter(user_id=user.pk).order_by("-created_at")
    return render(request, "accounts/panel/security.html", {
        "password_form": password_form or forms.PasswordChangeForm(user, prefix="pw"),
        "disable_form": disable_form or forms.DisableTwoFactorForm(user, prefix="off"),
        "codes_form": codes_form or forms.DisableTwoFactorForm(user, prefix="codes"),
        "two_factor": services.has_two_factor(user), "sessions": sessions,
        "current_key": request.session.session_key,
    }, status=status)


@login_required
def security(request):
    return _security(request)


@login_required
@require_POST
def change_password(request):
    form = forms.PasswordChangeForm(request.user, data=request.POST, prefix="pw")
    if not form.is_valid():
        return _security(request, password_form=form, status=400)
    services.set_password(request.user, form.cleaned_data["new_password1"], _actor(request),
                          keep_session=request.session.session_key)
    update_session_auth_hash(request, request.user)
    messages.success(request, "Your password is changed; your other sessions were signed out.")
    return redirect("/panel/security/")


def _qr_svg(uri: str) -> str:
    import qrcode
    import qrcode.image.svg

    svg = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    text = svg.to_string(encoding="unicode")
    return text[text.find("<svg"):]


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if services.has_two_factor(request.user) and request.method == "GET":
        messages.info(request, "Two-factor authentication is already on.")
        return redirect("/panel/security/")
    device = services.start_totp(request.user)
    form = forms.CodeForm(data=request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = "The 6-digit code your app shows now."
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_totp(request.user, form.cleaned_data["code"])
        if codes is not None:
            from django_otp import login as otp_login

            device.refresh_from_db()
            otp_login(request, device)
            return render(request, "accounts/panel/backup_codes.html", {"codes": codes,
                                                                        "new": True})
        form.add_error("code", "This code is not valid. Check the time on your phone and try "
                               "the code shown now.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/panel/two_factor_setup.html", {
        "form": form, "uri": device.config_url, "qr": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG we generated
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def two_factor_disable(request):
    form = forms.DisableTwoFactorForm(request.user, data=request.POST, prefix="off")
    if not form.is_valid():
        return _security(request, disable_form=form, status=400)
    services.disable_two_factor(request.user, _actor(request))
    messages.success(request, "Two-factor authentication is off.")
    return redirect("/panel/security/")


@login_required
@require_POST
def backup_codes(request):
    form = forms.DisableTwoFactorForm(request.user, data=request.POST, prefix="codes")
    if not services.has_two_factor(request.user):
        return redirect("/panel/security/")
    if not form.is_valid():
        return _security(request, codes_form=form, status=400)
    codes = services.regenerate_backup_codes(request.user)
    return render(request, "accounts/panel/backup_codes.html", {"codes": codes, "new": False})


@login_required
@require_POST
def session_sign_out(request, pk):
    row = get_object_or_404(LoginSession, pk=pk, user_id=request.user.pk)
    current = row.session_key == request.session.session_key
    services.end_session(request.user, row, _actor(request))
    if current:
        logout(request)
        return HttpResponseRedirect("/login/")
    messages.success(request, "That session is signed out.")
    return redirect("/panel/security/")


@login_required
@require_POST
def sessions_sign_out_others(request):
    count = services.end_other_sessions(request.user, request.session.session_key,
                                        _actor(request))
    messages.success(request, f"Signed out {count} other session{'s' if count != 1 else ''}.")
    return redirect("/panel/security/")
