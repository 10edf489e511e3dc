"""API of the disclosures app: ``GET /api/v1/me/disclosures`` (who received my data)."""

from datetime import datetime

from django.core.paginator import Paginator
from ninja import Query, Router, Schema
from pydantic import Field

from hostpact.privacy.disclosures import services

router = Router(tags=["disclosures"])
PER_PAGE = 50


class DisclosureOut(Schema):
    id: int
    recipient: str
    recipient_kind: str
    categories: list[str]
    purpose: str
    legal_basis: str
    date: datetime


class DisclosurePage(Schema):
    count: int
    page: int
    pages: int
    items: list[DisclosureOut]


class PageIn(Schema):
    page: int = Field(1, ge=1, le=100_000)


@router.get("/me/disclosures", response=DisclosurePage)
def my_disclosures(request, params: Query[PageIn]):
    """Every disclosure of the caller's data, newest first: recipient, categories, purpose,
    legal basis and date (50 a page; ``?page=2`` for older ones)."""
    qs = services.subject_disclosures(request.user.subject_id)
    paginator = Paginator(qs, PER_PAGE)
    page = paginator.get_page(params.page)
    return {"count": paginator.count, "page": page.number, "pages": paginator.num_pages,
            "items": [services.as_dict(d) for d in page.object_list]}
