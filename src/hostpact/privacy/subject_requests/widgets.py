"""The data-subject requests' widget of the back office's home page: open and overdue.

Counts only, for the roles that handle requests (``services.may_work``); the overdue list
links to the requests themselves.
"""

from hostpact.core import clock
from hostpact.core.dashboard import register_widget
from hostpact.privacy.subject_requests.models import DataSubjectRequest as DSR
from hostpact.privacy.subject_requests.services import deadlines, states

CLOSED = (DSR.Status.COMPLETED, DSR.Status.DENIED)


def requests_context(request) -> dict:
    """Return the open requests by status and kind, how many are overdue, and the next due."""
    today = clock.today()
    open_requests = DSR.objects.exclude(status__in=CLOSED)
    by_status = {DSR.Status(s).label: n for s, n in _counts(open_requests, "status")}
    by_kind = {DSR.Kind(k).label: n for k, n in _counts(open_requests, "kind")}
    return {"open": open_requests.count(), "overdue": deadlines.overdue(today).count(),
            "by_status": by_status, "by_kind": by_kind,
            "next_due": open_requests.filter(due_on__gte=today).order_by("due_on")
            .values_list("due_on", flat=True).first()}


def _counts(queryset, field: str) -> list[tuple[str, int]]:
    from django.db.models import Count

    return [(row[field], row["n"]) for row in
            queryset.values(field).annotate(n=Count("id")).order_by(field)]


def register() -> None:
    """Register the widget (``SubjectRequestsConfig.ready``)."""
    register_widget("requests.open", title="Data-subject requests",
                    template="requests/widget.html", context=requests_context, order=40,
                    roles=states.WORKING_ROLES)
