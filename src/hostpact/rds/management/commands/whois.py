"""``hostpact whois``: serve WHOIS (RFC 3912) alone; ``hostpact serve`` runs it as a child."""

import asyncio
import os
import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.rds.whois.server import serve


class Command(BaseCommand):
    help = "Serve WHOIS: one query line per TCP connection, answered in ICANN's format."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None,
                            help="default: HOSTPACT_WHOIS_PORT (4343)")

    def handle(self, host, port, **options):
        port = settings.WHOIS_PORT if port is None else port
        if not 0 <= port <= 65535:
            raise CommandError(f"--port must be 0 to 65535, not {port}")
        # The server reads the database from its event loop on purpose (whois/server.py).
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        ready = lambda bound: self.stdout.write(  # noqa: E731
            f"WHOIS on {host}:{bound}", ending="\n")
        try:
            asyncio.run(self._run(host, port, ready))
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        except KeyboardInterrupt:
            pass

    async def _run(self, host, port, ready):
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        # SIGTERM from the supervisor and Ctrl-C end the server cleanly (the log is flushed).
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await serve(host, port, ready=ready, stop=stop)
