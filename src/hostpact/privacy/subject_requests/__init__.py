"""Data-subject requests taken through support, with identity verification.

The Django app label stays ``requests`` (its tables and migrations carry it); the package is
named for what it holds, since "requests" also meant HTTP requests and requests from
authorities.
"""
