"""``hostpact inbound``: the inbound SMTP server alone (``hostpact serve`` runs it as a child)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.core import inbound_server


class Command(BaseCommand):
    help = ("Serve inbound SMTP (support, abuse, compliance, bounces, mailto unsubscribe) in the "
            "foreground until SIGTERM or Ctrl-C.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None,
                            help="default: HOSTPACT_INBOUND_PORT (2526)")

    def handle(self, host, port, **options):
        port = port or settings.INBOUND_PORT
        ready = lambda: self.stdout.write(  # noqa: E731
            f"inbound mail on smtp://{host}:{port} for @{settings.MAIL_DOMAIN}", ending="\n")
        try:
            inbound_server.serve_forever(host, port, ready=ready)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror} (set "
                               "HOSTPACT_INBOUND_PORT or --port to a free port)") from exc
