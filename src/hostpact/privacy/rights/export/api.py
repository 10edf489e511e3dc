"""The export over the API: ``GET /api/v1/me/export``, the caller's data as one JSON file.

A reseller's customer is answered 403 ``controller_is_reseller`` with the reseller's controller
contact (policy 10.1, C38): the reseller decides on access to the data it controls, and
``POST /api/v1/me/controller-requests`` forwards the request to it with the caller's consent.
"""

import logging

from django.http import JsonResponse
from ninja import Router

from hostpact.core.problems import PROBLEM_TYPE, Problem, problem_body, problem_responses
from hostpact.privacy import controllers
from hostpact.privacy.rights.export import queries as export
from hostpact.privacy.rights.export.views import (
    JSON_TYPE,
    attachment,
    record_export,
    reseller_controller,
)

log = logging.getLogger(__name__)

router = Router(tags=["rights"])

CONTROLLER_IS_RESELLER = (
    "You are a reseller's customer: the reseller controls this data and decides on the request "
    "(`code: controller_is_reseller`); `controller` gives its data controller's `name`, "
    "`email` and `address`. `POST /api/v1/me/controller-requests` forwards the request to it.")


def controller_refusal(controller: controllers.Controller, what: str) -> JsonResponse:
    """The 403 problem that sends a reseller's customer to the reseller's controller."""
    problem = Problem(403, "Ask your reseller", f"{controller.name} controls this data: send "
                      f"your request for {what} to its data controller, {controller.email}, "
                      "or ask us to forward it (POST /api/v1/me/controller-requests).",
                      code="controller_is_reseller")
    body = {**problem_body(problem), "controller": {
        "name": controller.name, "contact_name": controller.contact_name,
        "email": controller.email, "address": controller.address}}
    return JsonResponse(body, status=403, content_type=PROBLEM_TYPE)


_responses = problem_responses({403: CONTROLLER_IS_RESELLER})["responses"]


@router.get("/me/export",
            openapi_extra={"responses": {200: {"description": "The export document",
                                               "content": {"application/json": {}}},
                                         **_responses}})
def api_export(request):
    """Everything held about the caller, generated from the data map: one JSON document with a
    section per app, the disclosures made and a summary of staff reads. Sent as an attachment.
    A reseller's customer is sent to the reseller's controller (403)."""
    user = request.user
    controller = reseller_controller(user)
    if controller is not None:
        return controller_refusal(controller, "access")
    document = export.build_export(user.subject_id)
    record_export(user, "api")
    log.info("export of user %s sent through the API", user.pk)
    return attachment(export.to_json(document), JSON_TYPE, export.filename(document, "json"))
