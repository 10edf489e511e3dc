"""API of the rights app."""

from ninja import Router

router = Router(tags=["rights"])

from hostpact.privacy.rights.export_views import api_router as export_router  # noqa: E402

router.add_router("/", export_router)  # GET /me/export

from hostpact.privacy.rights.erasure_api import router as erasure_router  # noqa: E402

router.add_router("/", erasure_router)  # POST /me/erasure, GET /erasure/{token}
