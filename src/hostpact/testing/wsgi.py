"""A tiny WSGI client for tests of callables mounted before Django (``core.mounts``).

Django's test client goes through the middleware and URL resolver, which lean paths skip; this
calls the WSGI callable itself with a minimal, valid environ.
"""

import io
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self):
        return orjson.loads(self.body)


def call(app, path: str, *, method: str = "GET", remote_addr: str = "192.0.2.10",
         host: str = "127.0.0.1:8000", headers: dict | None = None,
         raw_path: bytes | None = None) -> Response:
    """Call ``app`` for ``path`` (with an optional ``?query``); ``raw_path`` gives PATH_INFO's
    bytes as a server would pass them (latin-1 text of the raw, percent-decoded bytes)."""
    parts = urlsplit(path)
    path_info = (raw_path.decode("latin-1") if raw_path is not None
                 else parts.path.encode("utf-8").decode("latin-1"))
    environ = {
        "REQUEST_METHOD": method, "SCRIPT_NAME": "", "PATH_INFO": path_info,
        "QUERY_STRING": parts.query, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": remote_addr, "HTTP_HOST": host,
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"] = int(status.split(" ", 1)[0])
        seen["headers"] = {k.lower(): v for k, v in response_headers}

    chunks = app(environ, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return Response(seen["status"], seen["headers"], body)
