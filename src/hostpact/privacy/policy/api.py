"""API of the policy app: the published versions, for machines that track policy changes."""

from datetime import datetime

from django.urls import reverse
from ninja import Router, Schema

from hostpact.privacy.policy import services
from hostpact.privacy.policy.models import PolicyVersion

router = Router(tags=["policy"])


class VersionOut(Schema):
    number: int
    title: str
    effective_at: datetime
    published_at: datetime
    material: bool
    new_uses: list[str]
    summary: str
    in_force: bool
    url: str


@router.get("/policy/versions", response=list[VersionOut], auth=None)
def versions(request):
    """Every published version, oldest first; ``in_force`` marks the one in force now."""
    current = services.in_force()
    return [{"number": v.number, "title": v.title, "effective_at": v.effective_at,
             "published_at": v.published_at, "material": v.material,
             "new_uses": v.new_uses or [], "summary": v.summary,
             "in_force": current is not None and v.pk == current.pk,
             "url": reverse("policy:version", args=[v.number])}
            for v in PolicyVersion.objects.order_by("number")]
