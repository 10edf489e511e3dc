"""Background tasks of the disclosures app: none yet.

Disclosures are recorded synchronously by the caller, before anything is sent, so there is
nothing to defer; the module exists so the app has the same skeleton as every other.
"""
