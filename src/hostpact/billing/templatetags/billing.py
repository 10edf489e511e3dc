"""Template filters for money: rupees with Indian digit grouping (₹1,49,999.00)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def indian_grouping(amount) -> str:
    try:
        value = Decimal(amount).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    whole, paise = f"{abs(value):.2f}".split(".")
    if len(whole) > 3:
        head, tail = whole[:-3], whole[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        whole = ",".join(groups + [tail])
    return f"{sign}{whole}.{paise}"


@register.filter
def inr(amount) -> str:
    text = indian_grouping(amount)
    if text.startswith("-"):  # a credit line: the sign before the currency, as it is read
        return f"-₹{text[1:]}"
    return f"₹{text}" if text else ""
