"""Back office of the programme: affiliates, codes, rules, rewards, commissions and payouts.

Staff of the billing, marketing and compliance roles open these pages. Every add runs a
service (validated, audited) from the add form's ``clean``, so a refused input is shown on its
field and nothing is written; rewards, commissions, clicks and attributions are written by the
programme only and read here; a payout is a ledger row, added and never changed.
"""

from django import forms
from django.contrib import admin

from hostpact.core import audit
from hostpact.privacy.admin_base import DataMapAdmin, ReadOnlyAdmin
from hostpact.referrals import services
from hostpact.referrals.models import (
    Affiliate,
    Attribution,
    Click,
    Commission,
    CommissionRule,
    Payout,
    ReferralCode,
    Reward,
    RewardRule,
)


class ServiceForm(forms.ModelForm):
    """An add form whose ``clean`` runs the service; its error lands on the field it names."""

    actor = "staff"  # replaced by the staff member's id when the admin builds the form

    def validate_unique(self):
        """Leave uniqueness to the service: the row it wrote in ``clean`` is no clash, and
        setting a rule again replaces it."""

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.result = self.run(data)
        except services.ReferralError as exc:
            field = exc.field if exc.field in self.fields else None
            self.add_error(field, str(exc))
        return data


class _ServiceAdd:
    """Adds through ``ServiceForm``: the row exists once the form is clean."""

    add_form: type[ServiceForm]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = type(self.add_form.__name__, (self.add_form,),
                    {"actor": audit.actor_of(request.user)})
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def get_fields(self, request, obj=None):
        return list(self.add_form.Meta.fields) if obj is None else super().get_fields(
            request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else super().get_readonly_fields(request, obj)

    def get_exclude(self, request, obj=None):
        return None if obj is None else super().get_exclude(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        for f in self.model._meta.concrete_fields:
            setattr(obj, f.attname, getattr(form.result, f.attname))
        obj._state.adding = False


class AffiliateForm(ServiceForm):
    class Meta:
        model = Affiliate
        fields = ["name", "kind", "agreement_reference", "agreement_from", "agreement_until",
                  "recipient", "contact_user"]

    def run(self, data):
        return services.create_affiliate(actor=self.actor, **{
            k: data.get(k) for k in self.Meta.fields})


@admin.register(Affiliate)
class AffiliateAdmin(_ServiceAdd, DataMapAdmin):
    add_form = AffiliateForm
    list_head = ("name",)
    search_fields = ("name",)
    raw_id_fields = ("contact_user",)

    def has_add_permission(self, request, *args):
        return self.has_view_permission(request)

    def get_search_results(self, request, queryset, search_term):
        return admin.ModelAdmin.get_search_results(self, request, queryset, search_term)


class AffiliateCodeForm(ServiceForm):
    class Meta:
        model = ReferralCode
        fields = ["affiliate", "code", "label"]

    code = forms.CharField(required=False, max_length=16,
                           help_text="4 to 16 letters or digits; empty: a random code.")
    affiliate = forms.ModelChoiceField(queryset=Affiliate.objects.filter(active=True))

    def run(self, data):
        return services.create_affiliate_code(data["affiliate"], code=data.get("code", ""),
                                              label=data.get("label", ""), actor=self.actor)


@admin.register(ReferralCode)
class ReferralCodeAdmin(_ServiceAdd, DataMapAdmin):
    """Codes; staff add affiliates' codes here (subscribers make their own in the panel)."""

    add_form = AffiliateCodeForm
    list_head = ("id",)  # a subscriber's code stands for them: not for every role's list

    def has_add_permission(self, request, *args):
        return self.has_view_permission(request)


class RewardRuleForm(ServiceForm):
    class Meta:
        model = RewardRule
        fields = ["product", "domains", "kind", "value", "active"]

    def run(self, data):
        return services.set_reward_rule(actor=self.actor, **data)


class RuleAdmin(_ServiceAdd, ReadOnlyAdmin):
    """Rules are set (added or replaced) through their service, never edited in place."""

    def has_add_permission(self, request, *args):
        return self.may_view(request)


@admin.register(RewardRule)
class RewardRuleAdmin(RuleAdmin):
    add_form = RewardRuleForm
    list_display = ("__str__", "kind", "value", "active")


class CommissionRuleForm(ServiceForm):
    class Meta:
        model = CommissionRule
        fields = ["affiliate", "percent", "active"]

    def run(self, data):
        return services.set_commission_rule(data["affiliate"], percent=data["percent"],
                                            active=data["active"], actor=self.actor)


@admin.register(CommissionRule)
class CommissionRuleAdmin(RuleAdmin):
    add_form = CommissionRuleForm
    list_display = ("affiliate", "percent", "active")


class PayoutForm(ServiceForm):
    class Meta:
        model = Payout
        fields = ["affiliate", "amount", "reference", "paid_on"]

    def run(self, data):
        return services.record_payout(data["affiliate"], amount=data["amount"],
                                      reference=data["reference"], paid_on=data["paid_on"],
                                      actor=self.actor)


@admin.register(Payout)
class PayoutAdmin(_ServiceAdd, ReadOnlyAdmin):
    add_form = PayoutForm
    list_display = ("affiliate", "amount", "reference", "paid_on", "recorded_at",
                    "recorded_by")

    def has_add_permission(self, request, *args):
        return self.may_view(request)


class _ReadOnly(DataMapAdmin):
    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reward)
class RewardAdmin(_ReadOnly):
    list_head = ("id",)


@admin.register(Commission)
class CommissionAdmin(_ReadOnly):
    list_head = ("id",)


@admin.register(Click)
class ClickAdmin(_ReadOnly):
    list_head = ("id",)


@admin.register(Attribution)
class AttributionAdmin(_ReadOnly):
    list_head = ("id",)
