"""Pages of the resellers app."""
