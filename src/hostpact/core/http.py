"""Helpers for reading an HTTP request."""

from django.conf import settings


def address_of(meta) -> str:
    """The client's address from a request's META or a WSGI environ; the proxy's
    X-Forwarded-For only when TLS is terminated in front."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return meta.get("REMOTE_ADDR", "")


def client_ip(request) -> str:
    """The client's address of a Django request (see ``address_of``)."""
    return address_of(request.META)
