"""pytest plugin loaded with ``-p`` (see pyproject.toml) so it runs before Django's settings.

It gives each test run its own data directory (keys, SQLite test database, mail), so runs side
by side never share a database file, and removes the directory afterwards.
"""

import atexit
import os
import shutil
import tempfile

if "HOSTPACT_TEST_DATA_DIR" not in os.environ:
    _data = tempfile.mkdtemp(prefix="hostpact-test-")
    os.environ["HOSTPACT_TEST_DATA_DIR"] = _data  # xdist workers inherit the controller's
    atexit.register(shutil.rmtree, _data, True)
# Each xdist worker gets a directory of its own, so no worker reads another's database files.
os.environ["HOSTPACT_DATA_DIR"] = os.path.join(os.environ["HOSTPACT_TEST_DATA_DIR"],
                                               os.environ.get("PYTEST_XDIST_WORKER", "main"))
os.environ.setdefault("HOSTPACT_SMTP_URL", "smtp://127.0.0.1:1")  # tests start their own catcher
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API beside the ORM
# The key cache's once-a-second shred check would land inside query-count budgets at random;
# the tests of that check set it themselves.
os.environ.setdefault("HOSTPACT_KEY_CACHE_SWEEP_SECONDS", "3600")
