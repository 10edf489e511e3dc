"""``/dev/mail/``: staff read the mail the local catcher received, in development only.

The catcher stands in for a mail provider, so sign-up confirmations and password resets can be
followed by hand. In production there is no catcher and these pages answer 404.
"""

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from hostpact.core import mailcatcher

PER_PAGE = 50


def _development_only():
    if settings.PRODUCTION:
        raise Http404()


def dev_only(view):
    """404 in production before anything else (no login redirect that would reveal the page)."""
    protected = staff_member_required(view)

    def wrapper(request, *args, **kwargs):
        _development_only()
        return protected(request, *args, **kwargs)

    wrapper.__doc__ = view.__doc__
    wrapper.__name__ = view.__name__
    return wrapper


@dev_only
def mail_list(request):
    """The stored messages, newest first: date, recipient, subject; paginated."""
    page = Paginator(mailcatcher.list_messages(settings.MAIL_DIR), PER_PAGE).get_page(
        request.GET.get("page"))
    rows = [{"id": m.id, "received": m.received, **m.headers()} for m in page.object_list]
    return render(request, "core/devmail_list.html",
                  {"page": page, "rows": rows, "mail_dir": settings.MAIL_DIR})


@dev_only
def mail_detail(request, message_id):
    """One message: its headers and its plain-text body, links made clickable."""
    message = mailcatcher.get_message(settings.MAIL_DIR, message_id)
    if message is None:
        raise Http404()
    return render(request, "core/devmail_detail.html",
                  {"message": message, "headers": message.headers(), "body": message.text()})
