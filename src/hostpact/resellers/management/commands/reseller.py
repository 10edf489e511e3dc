"""``hostpact reseller create --name NAME --host HOST --country CC`` and
``hostpact reseller key --reseller NAME --scopes S,S [--ip CIDR] [--days N]``."""

from django.core.management.base import BaseCommand, CommandError

ACTOR = "system:reseller-command"


class Command(BaseCommand):
    help = "Resellers: create and approve one, or make an API key for one (shown once)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="create|key")
        create = sub.add_parser("create", help="create a reseller and approve it")
        create.add_argument("--name", required=True, help="the business's legal name")
        create.add_argument("--host", required=True,
                            help="the host name its storefront answers on (shop.example)")
        create.add_argument("--country", required=True,
                            help="ISO country code of its business days' calendar (IN, DE)")
        key = sub.add_parser("key", help="make an API key and print it once")
        key.add_argument("--reseller", required=True, help="the reseller's name or slug")
        key.add_argument("--scopes", required=True, help="comma-separated: customers:read, "
                         "customers:write, removals, opt-outs, domains")
        key.add_argument("--ip", action="append", default=[], metavar="CIDR",
                         help="allow calls only from this range (repeatable)")
        key.add_argument("--days", type=int, default=90, help="days it is valid (90)")
        key.add_argument("--name", default="", help="the key's name (default: 'command line')")

    def handle(self, **options):
        if options["action"] == "create":
            self._create(options)
        else:
            self._key(options)

    def _create(self, options):
        from hostpact.resellers.services.resellers import ResellerError, create_reseller

        try:
            reseller = create_reseller(name=options["name"], host=options["host"],
                                       country=options["country"], approve=True, actor=ACTOR)
        except ResellerError as exc:
            raise CommandError(f"--{exc.field or 'name'}: {exc.message}")
        self.stdout.write(f"reseller {reseller.pk} ({reseller.slug}) created and approved")

    def _key(self, options):
        from django.db.models import Q

        from hostpact.resellers.models import Reseller
        from hostpact.resellers.services.keys import KeyRefused, create_key

        name = options["reseller"].strip()
        found = list(Reseller.objects.filter(Q(name__iexact=name) | Q(slug=name))[:2])
        if len(found) != 1:
            raise CommandError(f"--reseller {name!r}: " + (
                "no reseller has this name or slug" if not found
                else "several resellers have this name: give the slug"))
        try:
            key, secret = create_key(found[0], name=options["name"] or "command line",
                                     scopes=options["scopes"].split(","),
                                     ip_ranges=options["ip"], days=options["days"],
                                     actor=ACTOR)
        except KeyRefused as exc:
            flag = {"ip_ranges": "ip", "scopes": "scopes", "days": "days"}.get(exc.field,
                                                                             exc.field)
            raise CommandError(f"--{flag}: {exc.message}")
        self.stdout.write(f"key {key.key_id} for {found[0].name}, expires "
                          f"{key.expires_at:%Y-%m-%d} (shown once, only its hash is kept):")
        self.stdout.write(secret)
