"""Web pages of the data-subject requests app.

Requests through support are worked in the back office (``admin.py``); a subscriber who can
sign in exercises the same rights from the panel (the rights app), so there are no public
pages here.
"""
