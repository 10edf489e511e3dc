"""Where a subscriber gets their export: the API, the panel page, and the zip behind a link.

Every route exports the caller and only the caller: no route takes a subject or user id, and
the zip link is signed for one user (its id is both in the payload and in the salt), so a link
copied to another account answers 404. The link is stateless: it carries its issue time and is
refused after an hour, measured on the platform clock so tests and demos can move time.
"""

import io
import logging
import zipfile
from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hostpact.core import audit, clock
from hostpact.privacy import controllers
from hostpact.privacy.rights.export import queries as export

log = logging.getLogger(__name__)

LINK_SALT = "hostpact.privacy.rights.export.zip-link"
LINK_MAX_AGE = timedelta(hours=1)
JSON_TYPE = "application/json; charset=utf-8"


def record_export(user, channel: str) -> None:
    audit.record(audit.actor_of(user), "rights.export", user.subject_id, [], channel)


def attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _context(document: dict) -> dict:
    meta = document["export"]
    version = meta["policy_version"]
    return {"doc": document, "meta": meta, "sections": export.html_sections(document),
            "generated": datetime.fromisoformat(meta["generated_at"]),
            "policy_effective": datetime.fromisoformat(version["effective_at"]) if version
            else None}


def render_html(document: dict) -> str:
    """The export as one standalone HTML page (its style inline), as put in the zip."""
    return render_to_string("rights/export_standalone.html", _context(document))


def reseller_controller(user) -> controllers.Controller | None:
    """Return the controller of ``user``'s relationship data when it is not us (their
    reseller's, policy 10.1), or None."""
    return controllers.for_realm(getattr(user, "realm_id", None))


def controller_page(request, controller: controllers.Controller, kind: str, *,
                    status: int = 200, extra: dict | None = None):
    """The page a reseller's customer gets instead of our acting on their request: the
    reseller's controller contact, and the offer to forward the request to it (C38)."""
    context = {"controller": controller, "kind": kind,
               "forward_url": f"{controller.forward_url}?kind={kind}", **(extra or {})}
    return render(request, "rights/controller.html", context, status=status)


@login_required
@require_GET
def export_page(request):
    """The export as a readable page, with the JSON and the zip link a click away.

    A reseller's customer is sent to the reseller's controller instead; the part we control
    as registrar (their domains' registration data) is still shown."""
    document = export.build_export(request.user.subject_id)
    controller = reseller_controller(request.user)
    if controller is not None:
        record_export(request.user, "panel-registrar")
        return controller_page(request, controller, "access", extra={
            **_context(document), "sections": export.registrar_sections(document)})
    record_export(request.user, "panel")
    return render(request, "rights/export.html", _context(document))


def make_link_token(user) -> str:
    payload = {"u": user.pk, "iat": int(clock.now().timestamp())}
    return signing.dumps(payload, salt=f"{LINK_SALT}:{user.pk}", compress=True)


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def check_link_token(token: str, user) -> None:
    """Raise ``LinkInvalid`` unless ``token`` was made for ``user``; ``LinkExpired`` when old."""
    try:
        payload = signing.loads(token, salt=f"{LINK_SALT}:{user.pk}")
    except signing.BadSignature:
        raise LinkInvalid() from None
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        raise LinkInvalid()
    issued = payload.get("iat")
    if not isinstance(issued, int):
        raise LinkInvalid()
    if clock.now().timestamp() - issued > LINK_MAX_AGE.total_seconds():
        raise LinkExpired()


@login_required
@require_POST
def export_link(request):
    """Make a download link for the zip, valid for an hour and for this account only."""
    controller = reseller_controller(request.user)
    if controller is not None:
        return controller_page(request, controller, "access", status=403)
    token = make_link_token(request.user)
    expires = clock.now() + LINK_MAX_AGE
    log.info("export zip link made for user %s", request.user.pk)
    return render(request, "rights/export_link.html",
                  {"url": reverse("rights:export-download", args=[token]), "expires": expires})


def _link_refused(request, title: str, text: str, status: int):
    return render(request, "rights/export_error.html", {"title": title, "text": text},
                  status=status)


@login_required
@require_GET
def export_download(request, token: str):
    """The zip of ``export.json`` and ``export.html`` behind a link made by ``export_link``."""
    controller = reseller_controller(request.user)
    if controller is not None:
        return controller_page(request, controller, "access", status=403)
    try:
        check_link_token(token, request.user)
    except LinkInvalid:
        return _link_refused(request, "Download link not found",
                             "This download link is not valid for your account. Links work "
                             "only for the account that made them; make a new one from the "
                             "export page.", 404)
    except LinkExpired:
        return _link_refused(request, "Download link expired",
                             "This download link has expired: links last one hour. Make a new "
                             "one from the export page.", 410)
    document = export.build_export(request.user.subject_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", export.to_json(document))
        archive.writestr("export.html", render_html(document))
    record_export(request.user, "zip")
    log.info("export zip sent to user %s", request.user.pk)
    return attachment(buffer.getvalue(), "application/zip", export.filename(document, "zip"))
