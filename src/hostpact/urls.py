"""Top-level URLs: each app's pages, the API, the admin and the health check."""

from django.contrib import admin
from django.urls import include, path

from hostpact.api import api
from hostpact.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("", include("hostpact.core.urls")),
    path("", include("hostpact.accounts.urls")),
    path("", include("hostpact.billing.urls")),
    path("", include("hostpact.domains.urls")),
    path("", include("hostpact.domains.complaints.urls")),
    path("", include("hostpact.rds.urls")),
    path("", include("hostpact.consent.urls")),
    path("", include("hostpact.analytics.urls")),
    path("", include("hostpact.referrals.urls")),
    path("", include("hostpact.marketing.urls")),
    path("", include("hostpact.campaigns.urls")),
    path("", include("hostpact.support.urls")),
    path("", include("hostpact.audiences.urls")),
    path("", include("hostpact.advertising.urls")),
    path("", include("hostpact.surveys.urls")),
    path("", include("hostpact.community.urls")),
    path("", include("hostpact.resellers.urls")),
    path("", include("hostpact.panel.urls")),
    path("", include("hostpact.storefront.urls")),
    path("", include("hostpact.privacy.urls")),
    path("", include("hostpact.privacy.rights.urls")),
    path("", include("hostpact.privacy.disclosures.urls")),
    path("", include("hostpact.privacy.policy.urls")),
    path("", include("hostpact.privacy.subject_requests.urls")),
]
