"""Test fixture: a stand-in social widget provider on its own port of 127.0.0.1.

A real share button lives on another site; this one is another origin on the same machine
(the network is off in tests), serving ``/widget.js`` and a ``/frame`` page and keeping the
path of every request it gets, so a browser test can prove nothing reached the provider before
the visitor's click. ``social_provider`` points ``settings.CONSENT_SOCIAL_PROVIDERS`` at it::

    def test_x(page, live_server, social_provider):
        ...
        assert social_provider.requests == []
"""

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Marks the page so a test can see the script ran, and shows the frame beside the button.
WIDGET_JS = b"""(function () {
  document.querySelectorAll("[data-social]").forEach(function (box) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Share (stand-in provider)";
    box.appendChild(button);
  });
  document.documentElement.setAttribute("data-stand-in-loaded", "yes");
})();
"""
FRAME_HTML = b"<!doctype html><title>Stand-in share</title><p>Share this page</p>"


@dataclass
class StandInProvider:
    origin: str
    requests: list[str] = field(default_factory=list)

    @property
    def settings(self) -> dict:
        """The provider's entry for ``CONSENT_SOCIAL_PROVIDERS``."""
        return {"name": "Stand-in Share", "category": "functional", "origin": self.origin,
                "script": f"{self.origin}/widget.js", "frame": f"{self.origin}/frame",
                "collects": "your IP address and the address of this page",
                "cookies": [("standin_id", "The stand-in provider's visitor id.", 86400)]}


def _handler(provider: StandInProvider):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            provider.requests.append(self.path)
            body, kind = {"/widget.js": (WIDGET_JS, "text/javascript"),
                          "/frame": (FRAME_HTML, "text/html")}.get(self.path, (b"", ""))
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", kind or "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Keep the test output quiet."""

    return Handler


@pytest.fixture
def social_provider(settings):
    """A running stand-in provider; the "share" widget is configured to load from it."""
    provider = StandInProvider(origin="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CONSENT_SOCIAL_PROVIDERS = {"share": provider.settings}
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
