"""The payment gateway interface and the local test gateway (a fake: no card network here).

The platform hands the card number and CVC to a gateway and keeps only the token, brand, last
four digits and expiry. A production adapter implements the same ``PaymentGateway`` methods
against a real processor; ``settings.PAYMENT_GATEWAY`` names the class.
"""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.module_loading import import_string

from hostpact.core import clock


class CardError(Exception):
    """The card was refused; ``field`` names the part of it that is wrong."""

    def __init__(self, message: str, field: str = "number"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class CardToken:
    token: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    gateway: str


@dataclass(frozen=True)
class Charge:
    reference: str
    amount: Decimal
    currency: str


class PaymentGateway:
    """What the platform needs from a payment processor."""

    name = "gateway"

    def tokenize(self, number: str, exp_month: int, exp_year: int, cvc: str) -> CardToken:
        raise NotImplementedError

    def charge(self, token: str, amount: Decimal, currency: str, reference: str) -> Charge:
        raise NotImplementedError

    def refund(self, charge_reference: str, amount: Decimal, currency: str) -> str:
        """Give ``amount`` of a charge back to its card; return the refund's reference.

        Raises ``CardError`` when the processor refuses.
        """
        raise NotImplementedError


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in number][::-1]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def brand_of(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if number[:2] in {"51", "52", "53", "54", "55"} or 2221 <= int(number[:4]) <= 2720:
        return "mastercard"
    if number[:2] in {"34", "37"}:
        return "amex"
    if number.startswith(("6011", "65")):
        return "discover"
    if number.startswith(("60", "65", "81", "82", "508")):
        return "rupay"
    return "unknown"


def check_card(number: str, exp_month: int, exp_year: int, cvc: str) -> str:
    """Validate the card's shape and expiry; return the bare digits or raise CardError."""
    digits = "".join(ch for ch in str(number) if ch not in " -")
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise CardError("Enter a card number of 12 to 19 digits.", "number")
    if not luhn_ok(digits):
        raise CardError("This card number is not valid (check digit).", "number")
    if not 1 <= exp_month <= 12:
        raise CardError("Enter an expiry month from 1 to 12.", "exp_month")
    today = clock.today()
    if exp_year < 100:
        exp_year += 2000
    if (exp_year, exp_month) < (today.year, today.month) or exp_year > today.year + 25:
        raise CardError("This card has expired or its expiry year is not valid.", "exp_year")
    expected = 4 if brand_of(digits) == "amex" else 3
    if not (str(cvc).isdigit() and len(str(cvc)) == expected):
        raise CardError(f"Enter the {expected}-digit security code.", "cvc")
    return digits


class TestGateway(PaymentGateway):
    """Local fake of a card processor, accepting the usual test numbers.

    Declines, like the real test modes do: 4000 0000 0000 0002 (generic decline),
    4000 0000 0000 9995 (insufficient funds), 4000 0000 0000 0069 (expired card).
    4000 0000 0000 0341 is accepted and stored, but every later charge on it is declined.
    """

    name = "test-gateway"
    DECLINES = {
        "4000000000000002": "The card was declined.",
        "4000000000009995": "The card was declined: insufficient funds.",
        "4000000000000069": "The card was declined: expired card.",
    }
    CHARGE_FAILS = "4000000000000341"
    _FAILING = "tok_test_cf_"

    def tokenize(self, number, exp_month, exp_year, cvc):
        digits = check_card(number, exp_month, exp_year, cvc)
        if digits in self.DECLINES:
            raise CardError(self.DECLINES[digits], "number")
        # The token reveals nothing of the number: a random id, as a processor's would be.
        prefix = self._FAILING if digits == self.CHARGE_FAILS else "tok_test_"
        token = prefix + secrets.token_hex(12)
        year = exp_year + 2000 if exp_year < 100 else exp_year
        return CardToken(token, brand_of(digits), digits[-4:], exp_month, year, self.name)

    def charge(self, token, amount, currency, reference):
        if not token.startswith("tok_test_"):
            raise CardError("Unknown card token.", "token")
        if token.startswith(self._FAILING):
            raise CardError("The card was declined by its bank.", "card")
        ref = "ch_test_" + hashlib.sha256(f"{token}:{reference}".encode()).hexdigest()[:20]
        return Charge(ref, Decimal(amount), currency)

    def refund(self, charge_reference, amount, currency):
        """Fake a refund: nothing moves; the reference is derived from the charge and amount,
        so asking twice for the same refund answers the same reference, as an idempotent
        processor would."""
        if not charge_reference.startswith("ch_test_"):
            raise CardError("Unknown charge reference.", "charge")
        key = f"{charge_reference}:{Decimal(amount):.2f}:{currency}"
        return "re_test_" + hashlib.sha256(key.encode()).hexdigest()[:20]


def gateway() -> PaymentGateway:
    return import_string(settings.PAYMENT_GATEWAY)()
