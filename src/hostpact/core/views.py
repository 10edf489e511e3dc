"""Operational views: the health check, and the constant views benchmarks measure against."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django_tasks_db.models import DBTaskResult

from hostpact.core import clock

WORKER_STALE = timedelta(minutes=2)


def healthz(request):
    """200 when the database answers and no task has waited past WORKER_STALE (worker alive)."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        stuck = DBTaskResult.objects.filter(
            status="READY", enqueued_at__lt=clock.now() - WORKER_STALE
        ).exists()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    if stuck:
        return JsonResponse({"status": "error", "worker": "not draining the queue"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "worker": "ok"})


BARE_BODY = {"status": "ok", "view": "bare"}


def bare(request):
    """A constant JSON answer with no database work: the reference of ``make bench``.

    It runs through the same server and middleware as the real pages, so an endpoint's
    req/s divided by this one's shows what the endpoint itself costs on a noisy machine.
    """
    return JsonResponse(BARE_BODY)


@login_required
def bare_logged_in(request):
    """The same constant behind the login check: what any logged-in page pays before its own
    work (reading the session and the user). ``make bench`` shows it beside the panel pages."""
    return JsonResponse(BARE_BODY)
