"""WSGI entry point for granian (``hostpact.wsgi:application``)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from hostpact.core.production import require_production_settings  # noqa: E402

require_production_settings()
application = get_wsgi_application()
