"""ASGI entry point (the platform is served over WSGI; this is for tools that want ASGI)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
