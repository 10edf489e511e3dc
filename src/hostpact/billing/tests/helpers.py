"""Helpers for the billing tests: a price from the default catalogue, a gateway that records."""

from hostpact.billing.gateway import TestGateway
from hostpact.billing.models import Price


def price(code="shared-starter", cycle="monthly") -> Price:
    return Price.objects.select_related("product").get(product__code=code, cycle=cycle)


class RecordingGateway(TestGateway):
    """The test gateway, remembering every call made to it (class-level, reset per test)."""

    calls: list[tuple[str, tuple]] = []

    def tokenize(self, *args, **kwargs):
        RecordingGateway.calls.append(("tokenize", args + tuple(kwargs.values())))
        return super().tokenize(*args, **kwargs)

    def charge(self, *args, **kwargs):
        RecordingGateway.calls.append(("charge", args + tuple(kwargs.values())))
        return super().charge(*args, **kwargs)

    def refund(self, *args, **kwargs):
        RecordingGateway.calls.append(("refund", args + tuple(kwargs.values())))
        return super().refund(*args, **kwargs)


RECORDING = "hostpact.billing.tests.helpers.RecordingGateway"
DECLINED_LATER_CARD = TestGateway.CHARGE_FAILS
