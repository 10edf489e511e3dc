"""URLs of the reseller panel (included by ``resellers/urls.py``): ``/reseller/<slug>/…``."""

from django.urls import path

from hostpact.resellers.views import panel, panel_admin, panel_rights

P = "reseller/<slug:slug>/"
urlpatterns = [
    path("reseller/", panel.choose, name="panel"),
    path(P, panel.dashboard, name="panel_dashboard"),
    path(P + "customers/", panel.customers, name="panel_customers"),
    path(P + "customers/new/", panel.customer_new, name="panel_customer_new"),
    path(P + "customers/<str:ref>/", panel.customer, name="panel_customer"),
    path(P + "customers/<str:ref>/removal/", panel_rights.removal_new,
         name="panel_customer_removal"),
    path(P + "customers/<str:ref>/opt-out/", panel_rights.opt_out_new,
         name="panel_customer_opt_out"),
    path(P + "customers/<str:ref>/export/", panel_rights.export, name="panel_customer_export"),
    path(P + "removals/", panel_rights.removals, name="panel_removals"),
    path(P + "removals/<int:pk>/", panel_rights.removal, name="panel_removal"),
    path(P + "opt-outs/", panel_rights.opt_outs, name="panel_opt_outs"),
    path(P + "requests/", panel_rights.forwarded, name="panel_forwarded"),
    path(P + "requests/<int:pk>/answered/", panel_rights.forwarded_answered,
         name="panel_forwarded_answered"),
    path(P + "keys/", panel_admin.keys, name="panel_keys"),
    path(P + "keys/log/", panel_admin.key_log, name="panel_key_log"),
    path(P + "keys/<str:key_id>/revoke/", panel_admin.key_revoke, name="panel_key_revoke"),
    path(P + "members/", panel_admin.members, name="panel_members"),
    path(P + "settings/", panel_admin.settings_page, name="panel_settings"),
    path(P + "prices/", panel_admin.prices, name="panel_prices"),
]
