"""``hostpact campaign send --list LIST --subject TEXT --body FILE [--segment KEY=VALUE …]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def _segment(pairs: list[str]) -> dict:
    segment = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CommandError(f"--segment {pair!r}: write KEY=VALUE (product, country, "
                               f"signed_up_after, signed_up_before)")
        segment[key.strip()] = value.strip()
    return segment


class Command(BaseCommand):
    help = "Campaigns: send an operator's campaign (Markdown body) to a promotional list."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="send")
        send = sub.add_parser("send", help="create the campaign and queue it now")
        send.add_argument("--list", required=True, dest="list_key",
                          help="newsletters, promotions or partner-promotions")
        send.add_argument("--subject", required=True, help="the subject line")
        send.add_argument("--body", required=True, type=Path, metavar="FILE",
                          help="a Markdown file (UTF-8)")
        send.add_argument("--segment", action="append", default=[], metavar="KEY=VALUE",
                          help="product=CODE, country=CC, signed_up_after=YYYY-MM-DD, "
                               "signed_up_before=YYYY-MM-DD (repeatable)")

    def handle(self, **options):
        from hostpact.campaigns.services import CampaignRefused, send_campaign

        segment = _segment(options["segment"])
        try:
            body = options["body"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"--body {options['body']}: cannot read it ({exc})")
        try:
            campaign, reach = send_campaign(list_key=options["list_key"],
                                            subject_line=options["subject"], body=body,
                                            segment=segment, actor="system:campaign-command")
        except CampaignRefused as exc:
            raise CommandError(f"{exc.field or 'campaign'}: {exc}")
        self.stdout.write(f"campaign {campaign.pk} queued: it will reach {reach} "
                          f"subscriber{'s' if reach != 1 else ''}")
