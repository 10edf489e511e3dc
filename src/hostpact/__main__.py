"""The ``hostpact`` command: Django's manage.py with hostpact's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    from django.core.management import execute_from_command_line

    from hostpact.core.production import require_production_settings

    require_production_settings()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
