"""Settings of the test suite: the platform's own, plus the app that exists only for tests.

``hostpact.privacy.tests.sampleapp`` proves that a new app plugs into the privacy spine by
declaring itself; it is never installed outside the tests.
"""

from hostpact.settings import *  # noqa: F403
from hostpact.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "hostpact.privacy.tests.sampleapp"]
# Log writers flush when a test says so: the database belongs to the test's transaction.
BATCHLOG_AUTOSTART = False
