"""Data-subject requests taken through support, with identity verification."""
