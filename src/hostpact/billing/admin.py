"""Back office for billing: every model's pages derived from the data map and the viewer's roles.

Invoices, payments and billing addresses show their personal fields to the roles whose work
covers them (billing, compliance); catalogue rows are public and shown to every role.
"""

from django.contrib import admin

from hostpact.billing.models import (
    BillingAddress,
    Credit,
    CreditUse,
    Invoice,
    InvoiceLine,
    Order,
    Payment,
    PaymentMethod,
    Price,
    Product,
    Refund,
    Service,
    TldPrice,
)
from hostpact.privacy.admin_base import DataMapAdmin, DataMapInline


class InvoiceLineInline(DataMapInline):
    model = InvoiceLine


class PaymentInline(DataMapInline):
    model = Payment


class RefundInline(DataMapInline):
    model = Refund


class CreditUseInline(DataMapInline):
    model = CreditUse


@admin.register(PaymentMethod)
class PaymentMethodAdmin(DataMapAdmin):
    ordering = ["-id"]


@admin.register(Invoice)
class InvoiceAdmin(DataMapAdmin):
    list_head = ("id",)  # the invoice number is billing data, not for every role's list
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(Order)
class OrderAdmin(DataMapAdmin):
    list_head = ("id",)


@admin.register(Service)
class ServiceAdmin(DataMapAdmin):
    list_head = ("id",)


@admin.register(BillingAddress)
class BillingAddressAdmin(DataMapAdmin):
    ordering = ["-id"]


@admin.register(Payment)
class PaymentAdmin(DataMapAdmin):
    list_head = ("id",)
    inlines = [RefundInline]


@admin.register(Refund)
class RefundAdmin(DataMapAdmin):
    list_head = ("id",)


@admin.register(Credit)
class CreditAdmin(DataMapAdmin):
    list_head = ("id",)
    inlines = [CreditUseInline]


@admin.register(Product)
class ProductAdmin(DataMapAdmin):
    list_head = ("id",)
    search_fields = ()


@admin.register(Price)
class PriceAdmin(DataMapAdmin):
    list_head = ("id",)
    search_fields = ()


@admin.register(TldPrice)
class TldPriceAdmin(DataMapAdmin):
    list_head = ("id",)
    search_fields = ()
