"""``hostpact mailcatcher``: the development SMTP server that files mail under var/mail/."""

import logging
import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.core import mailcatcher


class Command(BaseCommand):
    help = "Run the local mail catcher: SMTP on 127.0.0.1, each message saved as a .eml file."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None,
                            help="default: HOSTPACT_SMTP_PORT (2525)")

    def handle(self, host, port, **options):
        if settings.PRODUCTION:
            raise CommandError("the mail catcher is for development only (HOSTPACT_ENV=production)")
        port = port or settings.SMTP_PORT
        # aiosmtpd logs every SMTP command line, addresses included: keep only its warnings.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        # SIGTERM from the supervisor ends the loop like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        ready = lambda: self.stdout.write(  # noqa: E731
            f"mail catcher on smtp://{host}:{port}, storing in {settings.MAIL_DIR}", ending="\n")
        try:
            mailcatcher.serve_forever(settings.MAIL_DIR, host, port, ready=ready)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
        except KeyboardInterrupt:
            pass
