"""The disclosures gate: recipients, agreements, every disclosure recorded, legal process."""
