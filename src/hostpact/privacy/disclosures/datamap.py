"""Data-map declarations of the disclosures app's models."""
