"""Data-map declarations of the policy app's models."""
