"""API of the rights app: the routers of its erasure and export."""

from ninja import Router

from hostpact.privacy.rights.erasure.api import router as erasure_router
from hostpact.privacy.rights.export.api import router as export_router

router = Router(tags=["rights"])
router.add_router("/", export_router)  # GET /me/export
router.add_router("/", erasure_router)  # POST /me/erasure, GET /erasure/{token}
