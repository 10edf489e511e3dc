"""A feature app that exists only for the tests: it proves a new app plugs into the privacy
spine by declaring itself in its own ``datamap.py``, with no edit to ``core`` or ``privacy``.
It is installed by ``hostpact.testing.settings`` only."""
