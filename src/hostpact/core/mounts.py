"""Lean WSGI paths: answers served before Django's middleware and URL resolver.

A few answers are hot, public and precomputed (RDAP's, decision 0006), and the middleware
stack would cost more than the answer. An app declares ``wsgi_mounts`` on its ``AppConfig``:
a dict of path prefix -> dotted path of a WSGI callable. ``mount(app)`` wraps the Django WSGI
application so a request under such a prefix goes to that callable, everything else to Django.
The callable owns its security: it must set its own headers and never serve a session.
"""

from django.apps import apps
from django.utils.module_loading import import_string


def mounts() -> list[tuple[str, object]]:
    """Every declared (prefix, WSGI callable), longest prefix first."""
    found = []
    for config in apps.get_app_configs():
        for prefix, dotted in getattr(config, "wsgi_mounts", {}).items():
            found.append((prefix, import_string(dotted)))
    return sorted(found, key=lambda item: -len(item[0]))


def mount(django_app):
    """Return a WSGI application dispatching the declared prefixes before ``django_app``."""
    table = tuple(mounts())
    if not table:
        return django_app

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        for prefix, app in table:
            if path.startswith(prefix):
                return app(environ, start_response)
        return django_app(environ, start_response)

    return application
