"""Query budgets of the account's checks that run on every request, so a change cannot
quietly add queries to other pages."""

import pytest

from hostpact.accounts.tests.helpers import web_login
from hostpact.testing import factories


@pytest.mark.django_db
def test_staff_two_factor_check_leaves_other_paths_alone(client, subscriber, settings,
                                                         django_assert_max_num_queries):
    """With staff two-factor enforced, a request outside /admin/ does not load the session or
    the user just for the check, and staff without a second factor still cannot open /admin/."""
    settings.STAFF_REQUIRE_2FA = True
    web_login(client, subscriber)
    with django_assert_max_num_queries(0):
        assert client.get("/bench/bare").status_code == 200
    staff = factories.make_staff()
    client.force_login(staff)
    resp = client.get("/admin/")
    assert resp.status_code == 302 and resp["Location"].startswith("/panel/security/")
