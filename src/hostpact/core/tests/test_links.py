"""Every link and redirect is reversed from a URL name, so a path changes in one ``urls.py``.

A path spelled out in a view, a service's mail body or a template keeps working until the
route moves, then silently points nowhere. The site's first path segments come from the URL
configuration itself, so a new app's pages are covered without editing this test. The
``urls.py`` files (and the API routers' decorators, which are the API's own URL
configuration), migrations and tests may spell paths, and so may the few modules in
``ROUTING`` that match a path before any route resolves it.
"""

import re
from pathlib import Path

from django.urls import URLResolver, get_resolver

SRC = Path(__file__).resolve().parents[2]
# A route decorator of a ninja router: the path it declares, relative to the API's mount.
ROUTE = re.compile(r"^\s*@\w+\.(?:get|post|put|patch|delete|api_operation)\(")
# Modules that route by path prefix, like a ``urls.py``, and why no URL name serves them.
ROUTING = {
    "core/middleware.py": "turns every error under the API's mount into a problem, the 404 of "
                          "a path no route resolves too",
    "resellers/middleware.py": "stops the API operations that sell, by method and path, before "
                               "any route resolves them, when a reseller may not sell",
    "resellers/api.py": "mounts the reseller API's routers under /api/v1/reseller (the API's "
                        "own URL configuration)",
}


def _first_segments(resolver=None, prefix="") -> set[str]:
    """The first path segments of every route of the site (``panel``, ``login``, ``api``…)."""
    found = set()
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver) and not route:
            found |= _first_segments(entry, route)
        elif head := re.match(r"[\w.-]+", route):
            found.add(head.group())
    return found


def _sources(*suffixes: str):
    for path in sorted(SRC.rglob("*")):
        if (path.suffix in suffixes and not {"tests", "migrations"} & set(path.parts)
                and path.name != "urls.py" and str(path.relative_to(SRC)) not in ROUTING):
            yield path


def _hits(pattern: re.Pattern, *suffixes: str) -> list[str]:
    return [f"{path.relative_to(SRC)}:{n}: {line.strip()}"
            for path in _sources(*suffixes)
            for n, line in enumerate(path.read_text().splitlines(), 1)
            if pattern.search(line) and not ROUTE.match(line)]


def test_no_python_module_spells_a_site_path():
    """No view, service or setting writes a site path in a string, alone or after
    ``SITE_URL`` in an f-string: each is ``reverse()``d from its name."""
    heads = "|".join(re.escape(s) for s in sorted(_first_segments()))
    path = re.compile(rf"""(?:["']|\}})/(?:{heads})(?![\w.-])""")
    root = re.compile(r"""(?:redirect|Redirect|resolve_url)\(\s*["']/["'#?]""")
    assert [*_hits(path, ".py"), *_hits(root, ".py")] == []


def test_no_template_links_to_a_site_path():
    """No template's link or form target is a site-relative path: each is ``{% url %}``."""
    target = re.compile(r"""\b(?:href|action|src|formaction)\s*=\s*["']/(?!/)""")
    assert _hits(target, ".html") == []


def test_every_app_included_by_the_site_has_a_namespace():
    """Each app's ``urls.py`` sets ``app_name``, so its names read ``accounts:security``."""
    bare = [str(entry.urlconf_name) for entry in get_resolver().url_patterns
            if isinstance(entry, URLResolver) and not entry.namespace]
    assert bare == []
