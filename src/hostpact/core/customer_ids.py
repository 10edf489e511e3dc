"""Customer IDs: the public name of a subscriber (``HP-000123``), never a personal datum.

Staff lists, audit entries and messages name a subscriber by this ID. It is the user row's
primary key in a fixed format, so every layer can turn one into the other without importing
the accounts app.
"""

CUSTOMER_PREFIX = "HP-"


def customer_id_for(pk: int) -> str:
    """Return the customer ID of the user with primary key ``pk``."""
    return f"{CUSTOMER_PREFIX}{pk:06d}"


def pk_from_customer_id(customer_id: str) -> int | None:
    """Return the primary key a customer ID names, or None when the text is not one."""
    text = customer_id.strip().upper()
    if not text.startswith(CUSTOMER_PREFIX) or not text[len(CUSTOMER_PREFIX):].isdigit():
        return None
    return int(text[len(CUSTOMER_PREFIX):])
