"""The optional form about a subscriber (demographics, product usage, preferences) and the
aggregate profiles built from it and from registration data: counts, never names.
"""
