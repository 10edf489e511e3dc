"""Issue 13's survey figures: a survey of N invitations (queueing time), then answers stored
per second with 16 concurrent clients.

The data set is its own (``--data-dir``, SQLite, wiped unless ``--reuse``): ``seed_demo
--subscribers N`` seeds subscribers; a preparing step puts every one of them on the
"surveys" list (one bulk insert of subscription rows, as signing up does for a new
subscriber). Then, in this process:

1. **queueing**: ``surveys.services.send_invitations`` for a survey to the whole segment: who
   it reaches (segment and marketing's eligibility), one invitation row each (a random token,
   its hash, the address encrypted) and one outbox message each through ``core.mail.queue_many``
   (the purpose check per subject); seconds for all N;
2. **answers**: ``--answers`` invitations answered through ``surveys.answering.store`` (the
   service the answer page calls: lock the invitation, check the answers, mark it answered,
   insert the unlinked response and its answers, an audit event) by 16 threads at once, each
   with its own database connection; answers stored per second. The threads call the service
   in process (no web server in between), so the figure is the storage path, not HTTP.

    .venv/bin/python bench/issue13_surveys.py                       # 100,000 invitations
    .venv/bin/python bench/issue13_surveys.py --subscribers 2000    # a smoke check
"""

import argparse
import datetime
import json
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import dataset
import harness
from rich.console import Console

CLIENTS = 16
console = Console()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--answers", type=int, default=2000, help="invitations answered")
    p.add_argument("--data-dir", type=Path, default=harness.ROOT / "var/bench/issue13s")
    p.add_argument("--out", type=Path, default=harness.BENCH_DIR / "results/issue13_surveys.json")
    p.add_argument("--reuse", action="store_true", help="keep an already seeded data set")
    return p.parse_args(argv)


def _on_list() -> int:
    """Put every subscriber on the surveys list (a fresh survey, so earlier rows are kept)."""
    from hostpact.accounts.models import User
    from hostpact.core import clock
    from hostpact.marketing.models import Subscription

    ids = list(User.objects.filter(is_staff=False).values_list("subject_id", flat=True))
    now = clock.now()
    Subscription.objects.bulk_create(
        [Subscription(subject_id=s, list_key="surveys", subscribed=True, changed_at=now)
         for s in ids], batch_size=5000, ignore_conflicts=True)
    return len(ids)


def _answer_all(invitation_ids: list, data: dict) -> tuple[int, int, float]:
    from django.db import connection

    from hostpact.surveys import answering

    stored, refused, lock = [0], Counter(), threading.Lock()
    queue = list(invitation_ids)

    def client(n: int):
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    pk = queue.pop()
                try:
                    answering.store(pk, data, contact_ok=pk % 10 == 0)
                    with lock:
                        stored[0] += 1
                except Exception as exc:  # noqa: BLE001 - counted by kind (SQLite: locked)
                    with lock:
                        refused[f"{type(exc).__name__}: {exc}"[:80]] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return stored[0], dict(refused), time.perf_counter() - t0


def measure(args) -> dict:
    """Queue the invitations, then answer ``--answers`` of them with 16 threads."""
    import django

    django.setup()
    from hostpact.surveys import services
    from hostpact.surveys.models import Invitation

    listed = _on_list()
    survey = services.create_survey(title="How are we doing?", actor="system:bench")
    q1 = services.add_question(survey.pk, kind="single", text="Which plan?",
                               choices=["Starter", "Business"], actor="system:bench")
    q2 = services.add_question(survey.pk, kind="multiple", text="What do you use?",
                               choices=["Mail", "Web", "DNS"], actor="system:bench")
    q3 = services.add_question(survey.pk, kind="scale", text="How happy are you?",
                               actor="system:bench")
    q4 = services.add_question(survey.pk, kind="text", text="Anything else?",
                               actor="system:bench")
    t0 = time.perf_counter()
    invited = services.send_invitations(survey.pk, actor="system:bench")
    queue_s = time.perf_counter() - t0
    ids = list(Invitation.objects.filter(survey=survey).values_list("pk", flat=True)
               [:args.answers])
    data = {str(q1.pk): "Business", str(q2.pk): ["Mail", "DNS"], str(q3.pk): "4",
            str(q4.pk): "Faster support, please."}
    stored, refused, answer_s = _answer_all(ids, data)
    return {"listed": listed, "invited": invited, "queue_s": queue_s,
            "invitations_per_second": invited / queue_s if queue_s else 0.0,
            "answers": stored, "refused": sum(refused.values()), "refusals": refused,
            "answer_s": answer_s,
            "answers_per_second": stored / answer_s if answer_s else 0.0}


def run(args) -> dict:
    """Seed (unless reused), then queue the survey's invitations and store answers."""
    env = dataset.bench_env(args.data_dir.resolve())
    results = {"issue": 13, "part": "surveys", "subscribers": args.subscribers,
               "clients": CLIENTS, "at": datetime.datetime.now(datetime.UTC).isoformat()}
    results["seed"] = dataset.seed(args.data_dir, env, reuse=args.reuse, seed_args=[
        "--subscribers", str(args.subscribers), "--seed", "13"])
    results["surveys"] = dataset.in_process(env, measure, args)
    results["status"] = "ok"
    return results


def render(r: dict, t, verdict):
    """The survey rows, in the benchmarks' table."""
    s = r["surveys"]
    t.add_row(f"survey of {s['invited']:,} invitations: queueing (reach, invitations, outbox)",
              f"{s['queue_s']:.1f} s", "report", f"{s['invitations_per_second']:,.0f}/s", "",
              f"{s['invited']:,}", "")
    t.add_row(f"  answers stored, {r['clients']} concurrent (in process)",
              f"{s['answers_per_second']:,.0f}/s", "report", f"{s['refused']} refused", "",
              f"{s['answers']:,}", "")
    return t


def main(argv=None) -> int:
    from report import new_table, verdict

    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    console.print(render(results, new_table("hostpact benchmarks: issue 13 surveys"), verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
