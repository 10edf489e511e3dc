"""The subscriber's account pages, one module per noun: ``signin`` (the front page, login with
two-factor, logout, password reset, email verification), ``profile`` (correcting contact data
and the email address) and ``security`` (password, two-factor, backup codes, sessions).

Views stay thin: they validate with the forms and call ``services``; every write of personal
data happens there, with its audit event. The helpers below are shared by those modules.
"""

from django.shortcuts import render

from hostpact.core import audit


def actor(request) -> str:
    return audit.actor_of(request.user)


def message(request, title, text, status=200):
    """Render a page that says one thing (a link expired, a profile is missing)."""
    return render(request, "accounts/message.html", {"title": title, "text": text},
                  status=status)
