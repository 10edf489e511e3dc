"""``hostpact serve``: run the whole platform in the foreground, as ``make run`` does.

It collects the static files, then starts and supervises one child process per service: the
web server (granian, never runserver), the task worker, the inbound SMTP server and, in
development, the mail catcher.
Each child runs in its own process group so that stopping it also stops what it forked
(granian's workers). Ctrl-C or SIGTERM stops every child; if one child dies, the others are
stopped too and the command exits non-zero, so a half-running platform is never left behind.

Extension point: an app that brings another long-running service (WHOIS, for one) defines
``serve_children(self)`` on its ``AppConfig``, returning ``[(name, argv, banner_line, port)]``
(``port`` is the TCP port the child listens on, or None); ``serve`` checks the port is free,
starts the child after the built-in ones, waits for the port to answer, prints the banner line,
and supervises and stops the child with the rest. An app may also add lines to the banner that
is printed in development with ``banner_lines(self, site)`` (the panel prints the demo logins).
"""

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

HOST = "127.0.0.1"
STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 30
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """In the child: get SIGTERM if ``serve`` itself is killed (even by SIGKILL)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the process groups still get stopped
        pass


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex((HOST, port)) == 0


def _ensure_keys():
    """Create the key files under var/keys/ before any child can race to do it."""
    from hostpact.core import dkim
    from hostpact.core.keyfiles import read_or_create_keyring, read_or_create_secret

    if not settings.MASTER_KEY:
        read_or_create_keyring(settings.MASTER_KEY_FILE)
    read_or_create_secret(settings.INDEX_KEY_FILE)
    read_or_create_secret(settings.AUDIT_KEY_FILE)
    dkim.ensure_key()


class Command(BaseCommand):
    help = "Serve the platform in the foreground: web, task worker, inbound mail, mail catcher."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
        parser.add_argument("--no-collectstatic", action="store_true")

    def children(self, workers: int) -> list[tuple]:
        """(name, argv, banner line, port or None) of every child, in start order."""
        bindir = Path(sys.executable).parent
        granian = str(bindir / "granian") if (bindir / "granian").exists() else "granian"
        hostpact = [sys.executable, "-m", "hostpact"]
        site = f"http://{HOST}:{settings.HTTP_PORT}"
        found = []
        if not settings.PRODUCTION:
            # First, so the worker's first delivery finds the catcher listening.
            found.append(("mail", [*hostpact, "mailcatcher", "--host", HOST,
                                   "--port", str(settings.SMTP_PORT)],
                          f"mail catcher   smtp://{HOST}:{settings.SMTP_PORT}  "
                          f"(read it at {site}{reverse('core:devmail')})", settings.SMTP_PORT))
        found += [
            ("web", [granian, "--interface", "wsgi", "--host", HOST,
                     "--port", str(settings.HTTP_PORT), "--workers", str(workers),
                     "--blocking-threads", "1", "--backpressure", "16", "--no-access-log",
                     "--static-path-route", settings.STATIC_URL.rstrip("/"),
                     "--static-path-mount", str(settings.STATIC_ROOT),
                     "hostpact.wsgi:application"],
             f"web            {site}/", settings.HTTP_PORT),
            ("worker", [*hostpact, "db_worker", "--interval", "0.2", "--no-startup-delay"],
             "task worker    running (django-tasks database backend)", None),
            ("inbound", [*hostpact, "inbound", "--host", HOST,
                         "--port", str(settings.INBOUND_PORT)],
             f"inbound mail   smtp://{HOST}:{settings.INBOUND_PORT}  (support@, abuse@, "
             f"compliance@{settings.MAIL_DOMAIN})", settings.INBOUND_PORT),
            ("scheduler", [*hostpact, "scheduler"],
             "scheduler      enqueues periodic tasks (settings.PERIODIC_TASKS)", None),
        ]
        for app in apps.get_app_configs():
            hook = getattr(app, "serve_children", None)
            if hook:
                found.extend(hook())
        return found

    def handle(self, workers, no_collectstatic, **options):
        if not no_collectstatic:
            self.stdout.write(f"collecting static files into {settings.STATIC_ROOT}")
            call_command("collectstatic", interactive=False, verbosity=0)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        _ensure_keys()
        children = self.children(workers)
        busy = [f"{name} port {port}" for name, _, _, port in children
                if port and not _port_free(port)]
        if busy:
            raise CommandError(f"already in use: {', '.join(busy)} (stop the other server or "
                               "set HOSTPACT_HTTP_PORT / HOSTPACT_SMTP_PORT / "
                               "HOSTPACT_INBOUND_PORT to a free port)")
        Supervisor(children, self.stdout, self.stderr).run(self.banner)

    def banner(self, children):
        site = f"http://{HOST}:{settings.HTTP_PORT}"
        lines = ["", "hostpact is running — Ctrl-C stops everything", ""]
        lines += [f"  {child[2]}" for child in children]
        lines += [f"  health         {site}{reverse('healthz')}",
                  f"  API docs       {site}{reverse('api:openapi-view')}",
                  f"  back office    {site}{reverse('admin:index')}",
                  f"  data dir       {settings.DATA_DIR}"]
        if not settings.PRODUCTION:
            for app in apps.get_app_configs():
                lines += getattr(app, "banner_lines", lambda site: [])(site)
        self.stdout.write("\n".join(lines) + "\n")


class Supervisor:
    """Start children, wait, and stop them all on a signal or on the first one to die."""

    def __init__(self, children, stdout, stderr):
        self.children = children
        self.stdout, self.stderr = stdout, stderr
        self.procs: dict[str, subprocess.Popen] = {}
        self.stop_signal: int | None = None

    def _on_signal(self, signum, frame):
        self.stop_signal = signum

    def run(self, banner) -> None:
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        failed = None
        try:
            for name, argv, _, port in self.children:
                if self.stop_signal is not None:
                    break
                self.procs[name] = subprocess.Popen(argv, start_new_session=True,
                                                    preexec_fn=_die_with_parent)
                failed = self._wait_ready(name, port)
                if failed:
                    break
            if failed is None and self.stop_signal is None:
                banner(self.children)
                failed = self._watch()
            if failed:
                self.stderr.write(f"hostpact serve: {failed}; stopping the others\n")
        finally:
            self.stop_all()
            for s, handler in previous.items():
                signal.signal(s, handler)
        if failed:
            raise CommandError(f"{failed}; stopped the others")
        self.stdout.write("hostpact stopped\n")

    def _dead(self) -> str | None:
        for name, proc in self.procs.items():
            code = proc.poll()
            if code is not None:
                return f"{name} exited with code {code}"
        return None

    def _wait_ready(self, name, port):
        """None once ``port`` answers (at once without a port), else what went wrong."""
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while self.stop_signal is None and time.monotonic() < deadline:
            dead = self._dead()
            if dead:
                return dead
            if port is None or _listening(port):
                return None
            time.sleep(0.1)
        if self.stop_signal:
            return None
        return f"{name} did not listen on port {port} within {READY_TIMEOUT_SECONDS}s"

    def _watch(self):
        while self.stop_signal is None:
            dead = self._dead()
            if dead:
                return dead
            time.sleep(0.2)
        return None

    def stop_all(self) -> None:
        running = {n: p for n, p in self.procs.items() if p.poll() is None}
        for proc in running.values():
            self._signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, proc in running.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {STOP_GRACE_SECONDS}s; killing it\n")
                self._signal_group(proc, signal.SIGKILL)
                proc.wait()
        # Anything a child forked and left behind in its group goes too.
        for proc in self.procs.values():
            self._signal_group(proc, signal.SIGKILL)

    @staticmethod
    def _signal_group(proc, signum):
        try:
            os.killpg(proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass
