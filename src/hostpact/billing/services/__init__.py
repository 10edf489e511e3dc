"""Billing actions. Each runs in a transaction and writes its audit event.

The actions live in modules by what they act on (cards, credits, orders, payments, refunds,
addresses); this package answers all of them, so callers import from
``hostpact.billing.services``.
"""

from hostpact.billing.services.addresses import set_billing_address
from hostpact.billing.services.cards import add_payment_method, replace_card, tokenize_card
from hostpact.billing.services.common import (
    ADDRESS_FIELDS,
    CARD_CATEGORIES,
    DUE_DAYS,
    INVOICE_FIELDS,
    MAX_QUANTITY,
    PAISE,
    PAYMENT_PURPOSE,
    TOKEN_CATEGORIES,
    BilledParty,
    BillingError,
    billed_party,
    country_name,
    default_card,
    gst_rate,
    price_amount,
    quote,
    quote_amount,
)
from hostpact.billing.services.credits import cancel_credit, credit_balance, grant_credit
from hostpact.billing.services.orders import (
    LineItem,
    Placed,
    PlacedItems,
    issue_invoice,
    place_items,
    place_order,
    price_description,
)
from hostpact.billing.services.payments import (
    RENEWAL_NOTICE,
    invoice_orders,
    issue_renewal_invoice,
    pay_invoice,
    services_due_for_renewal,
    void_invoice,
)
from hostpact.billing.services.refunds import refund_order

__all__ = [
    "ADDRESS_FIELDS", "CARD_CATEGORIES", "DUE_DAYS", "INVOICE_FIELDS", "MAX_QUANTITY", "PAISE",
    "PAYMENT_PURPOSE", "RENEWAL_NOTICE", "TOKEN_CATEGORIES", "BilledParty", "BillingError",
    "LineItem", "Placed", "PlacedItems", "add_payment_method", "billed_party", "cancel_credit",
    "country_name", "credit_balance", "default_card", "grant_credit", "gst_rate",
    "invoice_orders", "issue_invoice", "issue_renewal_invoice", "pay_invoice", "place_items",
    "place_order", "price_amount", "price_description", "quote", "quote_amount", "refund_order",
    "replace_card", "services_due_for_renewal", "set_billing_address", "tokenize_card",
    "void_invoice",
]
