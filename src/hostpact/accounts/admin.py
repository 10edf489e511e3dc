"""Back office for users: the subscriber page with its profile and cards, filtered by role."""

from django.contrib import admin

from hostpact.accounts.models import Profile, User
from hostpact.billing.models import BillingAddress, PaymentMethod
from hostpact.privacy.admin_base import DataMapAdmin, DataMapInline


class ProfileInline(DataMapInline):
    model = Profile


class BillingAddressInline(DataMapInline):
    model = BillingAddress


class PaymentMethodInline(DataMapInline):
    model = PaymentMethod
    fk_name = "user"


@admin.register(User)
class UserAdmin(DataMapAdmin):
    inlines = [ProfileInline, BillingAddressInline, PaymentMethodInline]
    ordering = ["-id"]
