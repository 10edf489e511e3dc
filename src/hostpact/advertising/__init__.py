"""Advertising without identity: advertisers name an audience, the platform shows their ad to it on
its own pages and reports only suppressed aggregates.
"""
