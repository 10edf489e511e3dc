"""The disclosures gate: recipients, agreements, every disclosure, requests from authorities."""
