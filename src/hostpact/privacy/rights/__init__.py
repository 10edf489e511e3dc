"""Rights engine: export, erasure, children's accounts, retention and legal holds."""
