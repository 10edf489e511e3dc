"""URLs of the domains app: the panel's domains and contacts, and the verification link."""

from django.urls import path  # noqa: F401 - patterns are added by each page's feature

from hostpact.domains.views import contacts, domains, leave

app_name = "domains"
urlpatterns: list = [
    # Before the domain pages' <name> routes, so "leave" is never taken for a domain's name.
    path("panel/domains/leave/", leave.leave, name="leave"),
    path("panel/domains/leave/<str:name>/transfer/", leave.leave_transfer,
         name="leave_transfer"),
    path("panel/domains/leave/<str:name>/delete/", leave.leave_delete, name="leave_delete"),
    path("panel/domains/", domains.domain_list, name="list"),
    path("panel/domains/<str:name>/", domains.domain_detail, name="detail"),
    path("panel/domains/<str:name>/nameservers/", domains.nameservers, name="nameservers"),
    path("panel/domains/<str:name>/transfer-lock/", domains.transfer_lock,
         name="transfer_lock"),
    path("panel/domains/<str:name>/auth-code/", domains.auth_code, name="auth_code"),
    path("panel/domains/<str:name>/privacy/", domains.privacy, name="privacy"),
    path("panel/domains/<str:name>/auto-renew/", domains.auto_renew, name="auto_renew"),
    path("panel/contacts/", contacts.contact_list, name="contacts"),
    path("panel/contacts/<str:handle>/", contacts.contact_detail, name="contact"),
    path("domains/verify/<str:token>/", contacts.verify_contact, name="verify_contact"),
]
