"""``hostpact serve``: one foreground command runs web, worker and catcher, and stops them all."""

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from hostpact.core.management.commands.serve import Supervisor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc), found before it is asked to stop."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_one_child_dying_stops_the_others_with_an_error():
    """When a child exits, the supervisor stops the rest and fails, naming the child."""
    children = [("sleeper", SLEEPER, "", None),
                ("quitter", [sys.executable, "-c", "exit(3)"], "", None)]
    supervisor = Supervisor(children, io.StringIO(), io.StringIO())
    with pytest.raises(CommandError, match="quitter exited with code 3"):
        supervisor.run(lambda c: None)
    assert supervisor.procs["sleeper"].poll() is not None


def test_a_stop_signal_stops_every_child():
    """SIGTERM (or Ctrl-C's SIGINT) to the supervisor stops every child and returns cleanly."""
    supervisor = Supervisor([("a", SLEEPER, "", None), ("b", SLEEPER, "", None)],
                            io.StringIO(), io.StringIO())

    def banner(children):
        os.kill(os.getpid(), signal.SIGTERM)  # as if the operator pressed Ctrl-C now

    supervisor.run(banner)
    assert all(p.poll() is not None for p in supervisor.procs.values())


@pytest.mark.slow
def test_serve_answers_http_and_static_then_stops_everything_on_ctrl_c(tmp_path):
    """The real command: /healthz and /static/ answer, the catcher and the inbound SMTP server
    listen, SIGINT ends every process."""
    http, smtp, inbound = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("HOSTPACT_") and k != "DATABASE_URL"}
    env.update(HOSTPACT_DATA_DIR=str(tmp_path), HOSTPACT_HTTP_PORT=str(http),
               HOSTPACT_SMTP_PORT=str(smtp), HOSTPACT_INBOUND_PORT=str(inbound))
    hostpact = [sys.executable, "-m", "hostpact"]
    subprocess.run([*hostpact, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=120)
    proc = subprocess.Popen([*hostpact, "serve", "--workers", "1"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        output = ""
        deadline = time.monotonic() + 60
        while "staff@hostpact.test" not in output and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, f"serve ended early:\n{output}"
            output += line
        health = urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=5)
        assert health.status == 200
        css = urllib.request.urlopen(f"http://127.0.0.1:{http}/static/hostpact/site.css",
                                     timeout=5)
        assert css.status == 200 and b"--accent" in css.read()
        for port in (smtp, inbound):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                assert s.recv(100).startswith(b"220")
        assert f"inbound mail   smtp://127.0.0.1:{inbound}" in output
        assert (tmp_path / "keys" / "dkim.key").stat().st_mode & 0o777 == 0o600
        assert "demo@hostpact.test / demo-password-1" in output
        family = descendants(proc.pid)
        assert len(family) >= 4  # granian, its worker, the task worker, the catcher
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, rest
    time.sleep(0.2)
    assert not [pid for pid in family if alive(pid)]
