"""Data-map declarations of the requests app's models."""
