"""Data-map declarations of the data-subject requests app's models.

What a person told support and the staff's notes about them are theirs (encrypted, shredded at
erasure); the record that a request was made and answered, by whom and when, is not personal
without them and stays as proof of compliance.
"""

from hostpact.privacy.registry import declare, not_personal, personal
from hostpact.privacy.subject_requests.models import DataSubjectRequest

_support = ("essential.service.operations.support",)

declare(
    DataSubjectRequest,
    id=not_personal("the request reference's number"),
    subject=not_personal(),
    user=not_personal("shown as the customer ID"),
    channel=not_personal(), kind=not_personal(), status=not_personal(),
    notes=personal("user.content.private", purposes=_support,
                   label="What you told support about your request"),
    received_at=not_personal(), due_on=not_personal(),
    recorded_by=not_personal("staff actor id"),
    assigned_to=not_personal("a staff member"),
    code_via=not_personal("email or phone, never the address or number"),
    code_hash=not_personal("keyed hash of a random one-time code"),
    code_sent_at=not_personal(), code_expires_at=not_personal(), code_tries=not_personal(),
    code_verified_at=not_personal(), locked_at=not_personal(),
    attested_by=not_personal("a staff member"), attested_at=not_personal(),
    verified_at=not_personal(), started_at=not_personal(), closed_at=not_personal(),
    outcome_note=personal("user.content.private", purposes=_support,
                          label="Support's note on the outcome of your request"),
    corrected_fields=not_personal("field names, never values"),
    objected_use=personal("user.privacy_preferences",
                          purposes=("functional.storage.privacy_preferences",),
                          label="Use of your data you objected to"),
    export_ready_at=not_personal(),
    erasure_ref=not_personal("id of the erasure job"),
    reminders_sent=not_personal("which reminder thresholds were mailed to staff"),
)
