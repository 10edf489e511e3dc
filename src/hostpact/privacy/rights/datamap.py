"""Data-map declarations of the rights app's models."""
