"""The subscriber's banner rewards page and the back office's affiliate pages."""

import pytest

from hostpact.core import clock
from hostpact.core.models import AuditEntry
from hostpact.referrals import views
from hostpact.referrals.models import Affiliate, Click, ReferralCode
from hostpact.referrals.tests.helpers import ADS, NOW, get
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C08")
def test_the_panel_page_gives_a_code_its_embed_code_and_counts_per_banner(client):
    """A subscriber creates a code on their page, which then shows the link, the embed code
    of every banner (the image inside a link to /r/<code>) and counts only."""
    user = factories.make_subscriber()
    client.force_login(user)
    assert b"Create my referral code" in client.get("/panel/referrals/").content
    assert client.post("/panel/referrals/", {"label": "my blog"}).status_code == 302
    code = ReferralCode.objects.get(user=user)
    with clock.freeze(NOW):
        views.click(get(f"/r/{code.code}", consent=ADS, data={"b": "rectangle"}), code.code)
    page = client.get("/panel/referrals/").content.decode()
    assert f"http://testserver/r/{code.code}?b=rectangle" in page
    assert "http://testserver/referrals/banners/rectangle.svg" in page
    assert "Medium rectangle, 300 × 250</th><td>1</td>" in page
    assert Click.objects.count() == 1


def test_a_too_long_label_is_refused_and_writes_nothing(client):
    """A label over 60 characters answers 400 naming the problem; no code is made."""
    client.force_login(factories.make_subscriber())
    response = client.post("/panel/referrals/", {"label": "x" * 61})
    assert response.status_code == 400 and b"60 characters" in response.content
    assert not ReferralCode.objects.exists()


@pytest.mark.commitment("C10")
def test_staff_add_an_affiliate_through_the_service(client):
    """The back office's add form creates the affiliate by the service, with its audit
    event; a bad agreement date is shown on its field and nothing is written."""
    staff = factories.make_staff(superuser=True)
    client.force_login(staff)
    form = {"name": "Group Hosting Sister Co", "kind": "internal",
            "agreement_reference": "GRP-7", "agreement_from": "2026-01-01",
            "agreement_until": "2025-01-01"}
    refused = client.post("/admin/referrals/affiliate/add/", form)
    assert refused.status_code == 200 and b"cannot end before it begins" in refused.content
    assert not Affiliate.objects.exists()
    form["agreement_until"] = ""
    assert client.post("/admin/referrals/affiliate/add/", form).status_code == 302
    affiliate = Affiliate.objects.get()
    assert affiliate.kind == "internal"
    assert AuditEntry.objects.filter(action="referrals.affiliate.create",
                                     object_ref=f"affiliate:{affiliate.pk}").exists()


@pytest.mark.parametrize("model", ["affiliate", "referralcode", "rewardrule", "commissionrule",
                                   "payout", "reward", "commission", "click", "attribution"])
def test_every_back_office_page_of_the_programme_opens(client, model):
    """Each list page, and each add page staff may use, answers 200 to a superuser."""
    client.force_login(factories.make_staff(superuser=True))
    assert client.get(f"/admin/referrals/{model}/").status_code == 200
    if model in {"affiliate", "referralcode", "rewardrule", "commissionrule", "payout"}:
        assert client.get(f"/admin/referrals/{model}/add/").status_code == 200
