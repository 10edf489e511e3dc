"""Settings of the servers issue 11's benchmarks compare: production's, less one feature.

``BENCH11_CONSENT=off`` takes out the consent machinery: ``ConsentMiddleware``, the consent
context processor, and the ``consent`` template builtins, whose tags are replaced by
pass-through ones (``issue11_plain_tags``: every block rendered, nothing rewritten), so pages
still render but nothing is filtered by the visitor's choice. ``BENCH11_REQUEST_LOG=off``
takes ``RequestLogMiddleware`` out of ``MIDDLEWARE``. Anything else is ``hostpact.settings``
unchanged. A name that is not where this module expects it stops the server at start-up: a
"without" that removed nothing would fake a figure.

    DJANGO_SETTINGS_MODULE=issue11_settings PYTHONPATH=bench BENCH11_CONSENT=off granian ...
"""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

from hostpact.settings import *  # noqa: F403 - production's settings, changed below
from hostpact.settings import MIDDLEWARE as _MIDDLEWARE
from hostpact.settings import TEMPLATES as _TEMPLATES

CONSENT_MIDDLEWARE = "hostpact.consent.middleware.ConsentMiddleware"
CONSENT_CONTEXT = "hostpact.consent.context.consent"
CONSENT_TAGS = "hostpact.consent.templatetags.consent"
PLAIN_TAGS = "issue11_plain_tags"
REQUEST_LOG_MIDDLEWARE = "hostpact.analytics.middleware.RequestLogMiddleware"


def _switch(name: str) -> bool:
    value = os.environ.get(name, "on")
    if value not in ("on", "off"):
        raise ImproperlyConfigured(f"{name} must be 'on' or 'off', not {value!r}")
    return value == "on"


def _without(items: list[str], name: str, where: str) -> list[str]:
    if name not in items:
        raise ImproperlyConfigured(f"{name} is not in {where}: nothing to take out")
    return [i for i in items if i != name]


MIDDLEWARE = list(_MIDDLEWARE)
TEMPLATES = copy.deepcopy(_TEMPLATES)

if not _switch("BENCH11_CONSENT"):
    MIDDLEWARE = _without(MIDDLEWARE, CONSENT_MIDDLEWARE, "MIDDLEWARE")
    options = TEMPLATES[0]["OPTIONS"]
    options["context_processors"] = _without(options["context_processors"], CONSENT_CONTEXT,
                                             "TEMPLATES context_processors")
    options["builtins"] = [*_without(options["builtins"], CONSENT_TAGS, "TEMPLATES builtins"),
                           PLAIN_TAGS]

if not _switch("BENCH11_REQUEST_LOG"):
    MIDDLEWARE = _without(MIDDLEWARE, REQUEST_LOG_MIDDLEWARE, "MIDDLEWARE")
