"""Models of the requests app."""
