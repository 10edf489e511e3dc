"""The export over the API: ``GET /api/v1/me/export``, the caller's data as one JSON file."""

import logging

from ninja import Router

from hostpact.privacy.rights.export import queries as export
from hostpact.privacy.rights.export.views import JSON_TYPE, attachment, record_export

log = logging.getLogger(__name__)

router = Router(tags=["rights"])


@router.get("/me/export",
            openapi_extra={"responses": {200: {"description": "The export document",
                                               "content": {"application/json": {}}}}})
def api_export(request):
    """Everything held about the caller, generated from the data map: one JSON document with a
    section per app, the disclosures made and a summary of staff reads. Sent as an attachment."""
    user = request.user
    document = export.build_export(user.subject_id)
    record_export(user, "api")
    log.info("export of user %s sent through the API", user.pk)
    return attachment(export.to_json(document), JSON_TYPE, export.filename(document, "json"))
