"""Signing in and proving who one is: login with its two-factor step, logout,
password reset and the emailed link that confirms an address."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.accounts import auth, forms, remember, services
from hostpact.accounts.models import BackupCodeDevice, User
from hostpact.accounts.views import message
from hostpact.core import clock, ratelimit
from hostpact.core.http import client_ip

PENDING_KEY = "hostpact.pre2fa"


def _safe_next(request, default=None) -> str:
    """Return the ``next`` URL if it stays on this site, else ``default`` (the panel)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL) if default is None else default


# --- email verification --------------------------------------------------------------------

def verify_email(request, token):
    try:
        user = services.confirm_email(token)
    except signing.SignatureExpired:
        return message(request, "Link expired", "This confirmation link has expired. Sign in "
                       "and ask for a new one from the control panel.", 400)
    except (signing.BadSignature, ValueError, KeyError, TypeError):
        return message(request, "Link not valid", "This confirmation link is not valid or "
                       "was already used.", 400)
    except services.EmailTaken:
        return message(request, "Address already in use", "Another account uses this email "
                       "address now, so it cannot become yours.", 409)
    except User.DoesNotExist:
        return message(request, "Link not valid", "This confirmation link is not valid.", 400)
    messages.success(request, "Thank you: your email address is confirmed.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return redirect("accounts:login")


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
    return redirect(settings.LOGIN_REDIRECT_URL)


# --- login, two-factor step, logout --------------------------------------------------------

def _login_form(request, data=None) -> forms.LoginForm:
    """Return the login form, pre-filled from "Remember me" when functional cookies are on."""
    return forms.LoginForm(data=data, remember_allowed=remember.allowed(request),
                           remembered=remember.remembered(request),
                           # GET of the choice's address is the cookie settings page.
                           settings_url=reverse("consent:choose"))


@require_http_methods(["GET", "POST"])
def login_view(request):
    if request.method == "GET":
        if request.user.is_authenticated:
            # A URL, not a name: ``redirect()`` would try to reverse a ``next`` such as "foo".
            return HttpResponseRedirect(_safe_next(request))
        return render(request, "accounts/login.html",
                      {"form": _login_form(request), "next": _safe_next(request, "")})
    form = _login_form(request, request.POST)
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
        response = redirect("accounts:login-verify")
    else:
        auth.clear_account_failures(attempt)
        login(request, user, backend=auth.BACKEND)
        response = HttpResponseRedirect(_safe_next(request))
    # Only a name that matched the password is remembered, as it was typed.
    remember.apply(request, response, name, form.cleaned_data["remember"])
    return response


@require_http_methods(["GET", "POST"])
def login_verify(request):
    """The second step for a subscriber with two-factor: a TOTP or a backup code."""
    pending = request.session.get(PENDING_KEY)
    if not pending or clock.now().timestamp() - pending["at"] > auth.PENDING_TTL.total_seconds():
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "Please sign in again.")
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["u"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
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
        return HttpResponseRedirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/login_verify.html", {"form": form}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("storefront:home")


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
        return message(request, "Check your email",
                       RESET_SENT.format(minutes=settings.PASSWORD_RESET_TIMEOUT // 60))
    return render(request, "accounts/password_reset.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64, token):
    user = services.user_for_reset(uidb64, token)
    if user is None:
        return message(request, "Link not valid", "This password reset link is not valid, "
                       "was already used or has expired. Ask for a new one.", 400)
    form = forms.NewPasswordFields(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_password(user, form.cleaned_data["new_password1"],
                              f"subscriber:{user.customer_id}")
        messages.success(request, "Your password is changed, and every signed-in session "
                                  "was signed out. Log in with the new password.")
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_confirm.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
