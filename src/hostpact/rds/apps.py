from django.apps import AppConfig


class RdsConfig(AppConfig):
    name = "hostpact.rds"
    label = "rds"
    verbose_name = "Registration data services (WHOIS, RDAP)"
    wsgi_mounts = {"/rdap/": "hostpact.rds.rdap.lean.application"}

    def ready(self):
        # The domain services announce every published change; the directories' answers are
        # rewritten in the same transaction (docs/decisions/0006).
        from hostpact.domains import publication
        from hostpact.rds import records

        publication.on_change(records.refresh)

    def serve_children(self):
        """The WHOIS server, a child process of ``hostpact serve`` (``make run``)."""
        import sys

        from django.conf import settings

        port = settings.WHOIS_PORT
        return [("whois", [sys.executable, "-m", "hostpact", "whois", "--port", str(port)],
                 f"whois          whois -h 127.0.0.1 -p {port} NAME", port)]

    def banner_lines(self, site: str) -> list[str]:
        """Where people and RDAP clients look a domain up (printed in development)."""
        from django.urls import reverse

        from hostpact.rds.rdap.lean import PREFIX

        return ["", f"  registration data: {site}{reverse('rds:whois')}?q=NAME (WHOIS page), "
                    f"{site}{PREFIX}domain/NAME (RDAP; {site}{PREFIX}help)"]
