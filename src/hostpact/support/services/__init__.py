"""The support desk's writes: tickets, what arrives on them, answers, requests by mail."""

from hostpact.support.services.requests import record_subject_request, suggest_kind
from hostpact.support.services.tickets import (
    Incoming,
    SupportError,
    add_message,
    answer_ticket,
    close_ticket,
    is_anonymised,
    may_handle,
    open_ticket,
    read_attachment,
    reopen_ticket,
    verified_account,
)

__all__ = [
    "Incoming", "SupportError", "add_message", "answer_ticket", "close_ticket",
    "is_anonymised", "may_handle", "open_ticket", "read_attachment", "record_subject_request",
    "reopen_ticket", "suggest_kind", "verified_account",
]
