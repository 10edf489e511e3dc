"""WSGI entry point for granian (``hostpact.wsgi:application``).

Lean paths that apps declare (``core.mounts``: RDAP's precomputed answers) are dispatched
before Django's middleware; every other request goes through Django.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from hostpact.core.mounts import mount  # noqa: E402
from hostpact.core.production import require_production_settings  # noqa: E402

require_production_settings()
application = mount(get_wsgi_application())
