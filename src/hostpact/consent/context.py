"""The template context every page gets: the visitor's consent and the banner's contents."""

from hostpact.consent import banner, state


def consent(request) -> dict:
    """Return ``consent`` and, while no valid choice exists, what the banner shows."""
    current = state.of(request)
    if current.chosen:
        return {"consent": current}
    return banner.context(current, next_path=request.get_full_path())
