"""The Content-Security-Policy of a page, from what its visitor granted (policy 2.3, C05).

A feature that embeds another site's script or frame calls ``allow(request, category,
origin)`` while rendering; the middleware lets the origin in only when the visitor granted that
category, so a widget whose category is refused cannot load even if its markup slipped through.
"""

import secrets


def allow(request, category: str, origin: str) -> None:
    """Let ``origin`` serve scripts and frames of ``category`` to this response, if granted."""
    sources = getattr(request, "csp_sources", None)
    if sources is None:
        sources = request.csp_sources = {}
    found = sources.setdefault(category, [])
    if origin not in found:
        found.append(origin)


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def header(nonce: str, sources: dict, consent) -> str:
    """Return the policy: our own origin, the nonce, and the granted categories' origins."""
    extra = " ".join(o for category, origins in sources.items() if consent.allows(category)
                     for o in origins)
    extra = f" {extra}" if extra else ""
    # Inline style attributes remain in a few pages (print views); styles cannot run code.
    return (f"default-src 'self'; script-src 'self' 'nonce-{nonce}'{extra}; "
            f"frame-src 'self'{extra}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
