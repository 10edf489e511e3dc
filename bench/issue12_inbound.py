"""Issue 12's inbound figure: messages a second accepted into tickets, 8 smtplib clients at once.

``hostpact inbound`` runs as in production, on the benchmark's data set. Each of 8 threads opens
one SMTP connection and sends its share of distinct new inquiries from distinct senders (each
opens a ticket, stores its message encrypted, and queues one acknowledgement). The tickets
opened are counted in the database and must equal the messages accepted. Beside it, the same
clients against a bare aiosmtpd sink that answers 250 and stores nothing (the SMTP
conversation's own cost).

    .venv/bin/python bench/issue12_inbound.py --data-dir var/bench/data \
        --out bench/results/issue12_inbound.json --messages 800
"""

import argparse
import email.policy
import smtplib
import sqlite3
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import harness
from issue11_servers import migrate

CLIENTS = 8
DOMAIN = "hostpact.test"
TICKETS = "support_ticket"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--messages", type=int, default=800, help="new inquiries, all clients")
    p.add_argument("--clients", type=int, default=CLIENTS)
    return p.parse_args(argv)


def _message(n: int, run: str) -> bytes:
    m = EmailMessage()
    m["From"] = f"Bench Inquirer {n} <inquirer{n}.{run}@example.test>"
    m["To"] = f"support@{DOMAIN}"
    m["Subject"] = f"Question {n}"
    m["Message-ID"] = f"<bench.{run}.{n}@example.test>"
    m.set_content(f"Inquiry number {n} of run {run}: my site answers slowly.\n" * 20)
    return m.as_bytes(policy=email.policy.SMTP)


def _blast(port: int, messages: list[bytes], clients: int) -> tuple[float, int]:
    """Send ``messages`` over ``clients`` connections; return (seconds, accepted)."""
    accepted = [0] * clients
    errors: list[str] = []

    def client(i: int):
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
                for raw in messages[i::clients]:
                    smtp.sendmail("bench@example.test", [f"support@{DOMAIN}"], raw)
                    accepted[i] += 1
        except smtplib.SMTPException as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:200])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        print(f"client errors: {sorted(set(errors))}")
    return time.perf_counter() - t0, sum(accepted)


def _sink() -> tuple[object, int]:
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "250 2.0.0 Message accepted"

    port = harness.free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def _tickets(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "hostpact.sqlite3", timeout=60) as db:
        return db.execute(f"SELECT COUNT(*) FROM {TICKETS}").fetchone()[0]  # noqa: S608


def _wait_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            smtplib.SMTP("127.0.0.1", port, timeout=2).quit()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("hostpact inbound did not start")


def run(args, env: dict) -> dict:
    """Measure tickets opened per second over SMTP, beside a bare sink."""
    migrate(env)
    run_id = f"{int(time.time())}"
    messages = [_message(n, run_id) for n in range(args.messages)]
    port = harness.free_port()
    server = subprocess.Popen([str(harness.VENV_BIN / "hostpact"), "inbound", "--port",
                               str(port)], cwd=harness.ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_port(port)
        before = _tickets(args.data_dir)
        seconds, accepted = _blast(port, messages, args.clients)
        opened = _tickets(args.data_dir) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    sink, sink_port = _sink()
    try:
        sink_seconds, sink_accepted = _blast(sink_port, messages, args.clients)
    finally:
        sink.stop()
    rate, reference = accepted / seconds, sink_accepted / sink_seconds
    return {"status": "ok", "clients": args.clients, "messages": args.messages,
            "accepted": accepted, "tickets_opened": opened, "seconds": seconds,
            "rate": rate, "reference_rate": reference, "ratio": rate / reference,
            "all_stored": opened == accepted == args.messages}


def render(r: dict, t, verdict):
    """The inbound rows."""
    if r.get("status") != "ok":
        t.add_row("inbound SMTP into tickets", r.get("status"), "report", "", "", "",
                  f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    t.add_row(f"inbound SMTP: messages accepted into tickets, {r['clients']} smtplib clients",
              f"{r['rate']:,.0f} msg/s", "report", f"{r['reference_rate']:,.0f} msg/s",
              f"{r['ratio']:.0%}", f"{r['messages']:,}", verdict(r["all_stored"]))
    t.add_row("  reference: bare aiosmtpd sink (stores nothing), same clients", "", "", "", "",
              "", "")
    return t


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    print(f"{'figure':<46}{'value':>14}")
    print(f"{'messages accepted into tickets /s':<46}{results.get('rate', 0):>14,.1f}")
    print(f"{'bare SMTP sink /s (reference)':<46}{results.get('reference_rate', 0):>14,.1f}")
    print(f"{'ratio':<46}{results.get('ratio', 0):>14.0%}")
    counts = (f"{results.get('tickets_opened')} / {results.get('accepted')} / "
              f"{results.get('messages')}")
    print(f"{'tickets opened / accepted / sent':<46}{counts:>14}")
    return 0 if results.get("all_stored") else 1


if __name__ == "__main__":
    sys.exit(main())
