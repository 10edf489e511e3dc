"""The aggregate profiles' widget of the back office's home page: when the tables were built
and a link to the dashboard, for the roles that see them."""

from hostpact.audiences import views
from hostpact.audiences.models import ProfileCount
from hostpact.core.dashboard import register_widget
from hostpact.privacy import aggregates


def profiles_context(request) -> dict:
    """Return when the tables were built and how many subscribers they count (suppressed)."""
    rows = list(ProfileCount.objects.filter(table="age_band").values_list("count", "built_at"))
    total = sum(n for n, _ in rows)
    return {"built_at": max((at for _, at in rows), default=None),
            "total": aggregates.suppressed(total, aggregates.STAFF)}


def register() -> None:
    """Register the widget (``AudiencesConfig.ready``)."""
    register_widget("audiences.profiles", title="Aggregate profiles",
                    template="audiences/widgets/profiles.html", context=profiles_context,
                    order=60, roles=views.ROLES)
