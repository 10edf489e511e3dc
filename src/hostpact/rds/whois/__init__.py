"""WHOIS (RFC 3912): the text format, the look-up and the port-43 server."""
