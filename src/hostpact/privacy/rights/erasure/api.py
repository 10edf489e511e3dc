"""Erasure over the API: ask for it, then follow it on a status URL that needs no credentials.

``POST /api/v1/me/erasure`` answers 202 with the request id and a status URL; the erasure runs
as a background task once the request is committed. The status URL holds 32 random bytes, so
nobody finds another subscriber's request; it needs no credentials because the subscriber's
session and tokens die during the erasure. It shows the state, the steps done, what was kept
(item, legal basis, until when) and what legal holds keep (item, the role that placed the hold,
its basis, until when), never a value. When the job has ended it keeps answering its
final state, so the subscriber can come back to what was kept and until when.
"""

from datetime import datetime

from django.http import JsonResponse
from ninja import Router, Schema
from ninja.responses import Status

from hostpact.core import audit
from hostpact.core.problems import PROBLEM_TYPE, Problem, problem_body, problem_responses
from hostpact.privacy import registry
from hostpact.privacy.rights.erasure import queries, services
from hostpact.privacy.rights.export.api import CONTROLLER_IS_RESELLER, controller_refusal
from hostpact.privacy.rights.export.views import reseller_controller

router = Router(tags=["rights"])

NOT_FOUND = Problem(404, "Not found", "There is no erasure request at this address.")


class ErasureAccepted(Schema):
    request_id: str
    status_url: str


class KeptOut(Schema):
    item: str
    fields: list[str]
    basis: str
    until: str


class HeldOut(Schema):
    item: str
    role: str
    basis: str
    until: str


class ErasureStatus(Schema):
    request_id: str
    state: str
    state_label: str
    steps_done: list[str]
    steps_total: int
    hold_reason: str
    kept: list[KeptOut]
    held: list[HeldOut]
    requested_at: datetime
    finished_at: datetime | None


BLOCKED = ("Something must be settled first (`code: erasure_blocked`); `blockers` lists "
           "each with the page that settles it (`text`, `url`). Nothing began.")


def _blocked(blockers) -> JsonResponse:
    """The 409 problem listing what stands in the way, each with where it is settled."""
    problem = Problem(409, "Erasure blocked", "Your account cannot be erased yet: "
                      + " ".join(b.text for b in blockers), code="erasure_blocked")
    body = {**problem_body(problem), "blockers": queries.blocker_links(blockers)}
    return JsonResponse(body, status=409, content_type=PROBLEM_TYPE)


@router.post("/me/erasure", response={202: ErasureAccepted},
             openapi_extra=problem_responses({403: CONTROLLER_IS_RESELLER, 409: BLOCKED}))
def request_erasure(request):
    """Erase the caller: everything but what the law requires to keep, which is listed with
    its legal basis and until when. The work runs in the background; follow ``status_url``
    (no credentials needed; it keeps answering the final state once the erasure has ended).
    While something must first be settled (active domains, say) it answers 409 listing it.
    A reseller's customer is sent to the reseller's controller (403); nothing is erased."""
    user = request.auth
    controller = reseller_controller(user)
    if controller is not None:
        return controller_refusal(controller, "deletion")
    try:
        job = services.request_erasure(user, actor=audit.actor_of(user))
    except registry.ErasureBlocked as exc:
        return _blocked(exc.blockers)
    return Status(202, {"request_id": str(job.request_id),
                        "status_url": request.build_absolute_uri(queries.status_path(job))})


@router.get("/erasure/{token}", response={200: ErasureStatus}, auth=None,
            openapi_extra=problem_responses({404: NOT_FOUND.detail}))
def erasure_status(request, token: str):
    """The state of an erasure request, by the unguessable token of its status URL."""
    job = queries.job_for_token(token)
    if job is None:
        raise NOT_FOUND
    return Status(200, queries.status_of(job))
