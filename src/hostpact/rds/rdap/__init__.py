"""RDAP (RFC 9082/9083/9537): the objects, the request-time parts and the lean WSGI app."""
