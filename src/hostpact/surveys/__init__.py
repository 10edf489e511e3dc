"""Voluntary customer surveys: answers stored apart from identity, follow-up only with consent,
results shared only as suppressed aggregates.
"""
