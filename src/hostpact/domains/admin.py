"""Back office of the domains app: the escrow deposits' list (``escrow/admin.py``)."""

from hostpact.domains.escrow import admin as escrow_admin  # noqa: F401 - registers its pages
