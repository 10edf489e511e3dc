"""Children's accounts (C34): staff flag one, everything goes but what the law keeps."""

import pytest
from django.core.exceptions import PermissionDenied

from hostpact.accounts.models import User
from hostpact.billing.models import Invoice
from hostpact.core import crypto, ratelimit
from hostpact.core.models import DataKey
from hostpact.privacy.rights import services
from hostpact.privacy.rights.models import ChildReport, ErasureJob
from hostpact.privacy.rights.tests.helpers import subscriber_with_invoice
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.commitment("C34")
def test_flagging_a_child_erases_all_but_invoices_and_reports_it():
    """Support flags an account as a child's: the account closes, every key but the tax key
    is shredded, the invoice is kept with its basis and date, the anonymous counter goes up,
    and the report lists what was done and what was kept and why."""
    staff = factories.make_staff(groups=["support"])
    child, invoice = subscriber_with_invoice()
    sid = child.subject_id
    before = ratelimit.value(services.CHILD_COUNTER)
    report = services.flag_child(child, actor=staff, note="request 41")
    assert ratelimit.value(services.CHILD_COUNTER) == before + 1
    assert report.job.state == ErasureJob.State.DONE
    assert report.job.reason == ErasureJob.Reason.CHILD
    child = User.objects.get(pk=child.pk)
    assert not child.is_active and child.email is None and child.profile.name is None
    assert list(DataKey.objects.filter(subject_id=sid, shredded_at__isnull=True)
                .values_list("retention_class", flat=True)) == ["tax"]
    assert Invoice.objects.get(pk=invoice.pk).billed_name  # the legally unavoidable
    data = services.child_report(report)
    assert data["state"] == "Done"
    assert {"keys shredded", "accounts closed"} <= {d["what"] for d in data["done"]}
    kept = {k["model"]: k for k in data["kept"]}
    assert set(kept) == {"billing.Invoice", "billing.Payment"}  # both under the tax basis
    assert kept["billing.Invoice"]["basis"] and kept["billing.Invoice"]["until"]


@pytest.mark.commitment("C34")
def test_report_is_visible_to_staff_in_the_back_office(client):
    """The compliance role flags through the back-office form and reads the report page."""
    staff = factories.make_staff(groups=["compliance"], password="staff-password-1")
    child = factories.make_subscriber()
    client.force_login(staff)
    resp = client.post("/admin/rights/childreport/add/",
                       {"customer_id": child.customer_id, "note": "call 7", "confirm": "on"})
    report = ChildReport.objects.get()
    assert resp.status_code == 302 and str(report.pk) in resp["Location"]
    page = client.get(resp["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kept, and why" in text and "keys shredded" in text
    with pytest.raises(crypto.ShreddedKeyError):
        crypto.data_key(child.subject_id, "account")


def test_only_support_or_compliance_may_flag(client):
    """A marketing staff member is refused; the back-office form is closed to them too."""
    marketer = factories.make_staff(groups=["marketing"])
    child = factories.make_subscriber()
    with pytest.raises(PermissionDenied):
        services.flag_child(child, actor=marketer, note="")
    client.force_login(marketer)
    assert client.get("/admin/rights/childreport/add/").status_code == 403
    assert User.objects.get(pk=child.pk).is_active
    assert not ChildReport.objects.exists()


def test_flag_form_names_a_bad_customer_id(client):
    """An unknown customer ID re-renders the form with the error beside the field."""
    staff = factories.make_staff(groups=["compliance"])
    client.force_login(staff)
    resp = client.post("/admin/rights/childreport/add/",
                       {"customer_id": "HP-999999", "confirm": "on"})
    assert resp.status_code == 400
    assert "No subscriber has this customer ID." in resp.content.decode()


def test_subscriber_page_links_to_the_flag_and_hold_forms_with_the_customer_id(client):
    """A subscriber's back-office page links to the forms staff open for one subscriber, each
    with the customer ID filled in, and only for roles that may use them: compliance sees the
    child flag and the legal hold, support only the child flag."""
    subscriber = factories.make_subscriber()
    page = f"/admin/accounts/user/{subscriber.pk}/change/"
    flag = f"/admin/rights/childreport/add/?customer_id={subscriber.customer_id}"
    hold = f"/admin/rights/legalhold/add/?customer_id={subscriber.customer_id}"
    client.force_login(factories.make_staff(groups=["compliance"]))
    text = client.get(page).content.decode()
    assert f'href="{flag}"' in text and f'href="{hold}"' in text
    form = client.get(flag).content.decode()
    assert f'value="{subscriber.customer_id}"' in form
    assert f'value="{subscriber.customer_id}"' in client.get(hold).content.decode()
    client.force_login(factories.make_staff(groups=["support"]))
    text = client.get(page).content.decode()
    assert f'href="{flag}"' in text and f'href="{hold}"' not in text
