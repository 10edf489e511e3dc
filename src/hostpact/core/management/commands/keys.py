"""``hostpact keys rotate``: a new master key, every data key re-wrapped, the old key retired."""

from django.core.management.base import BaseCommand

from hostpact.core import keyrotation


class Command(BaseCommand):
    help = "Rotate the master key while the platform runs (add, activate, re-wrap, retire)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rotate"])
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--grace", type=float, default=None,
                            help="seconds to let running processes see the new key")

    def handle(self, **options):
        from rich.progress import Progress

        try:
            keyrotation.check()
        except keyrotation.RotationRefused as exc:
            self.stderr.write(str(exc))
            raise SystemExit(1)
        with Progress() as bar:
            task = bar.add_task("re-wrapping data keys", total=None)
            new_id, n = keyrotation.rotate(
                grace=options["grace"], batch=options["batch"],
                progress=lambda k: bar.advance(task, k),
                on_total=lambda t: bar.update(task, total=t))
        self.stdout.write(f"master key {new_id} active; {n} data keys re-wrapped; old keys retired")
