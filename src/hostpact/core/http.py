"""Helpers for reading an HTTP request."""

from django.conf import settings


def client_ip(request) -> str:
    """The client's address; the proxy's X-Forwarded-For only when TLS is terminated in front."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
