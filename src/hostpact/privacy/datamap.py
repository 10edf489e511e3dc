"""Data-map declarations of the privacy app's own models (none yet)."""
