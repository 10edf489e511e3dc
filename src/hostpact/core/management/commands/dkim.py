"""``hostpact dkim record``: the DNS TXT record to publish for the DKIM signing key."""

from django.core.management.base import BaseCommand

from hostpact.core import dkim


class Command(BaseCommand):
    help = "Print the DKIM DNS TXT record (name and value) of the signing key, creating the key."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["record"],
                            help="record: print <selector>._domainkey.<domain> and its TXT value")

    def handle(self, action, **options):
        name, value = dkim.public_record()
        # A zone file takes at most 255 characters a string: the key is split into several.
        chunks = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
        self.stdout.write(f"{name}\n{value}\n\nzone file: {name}. IN TXT ( {chunks} )\n")
