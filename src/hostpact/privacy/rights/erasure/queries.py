"""Reads of erasure jobs shared by the API and the pages: the job a status token names, and
its public status (state, steps, what was kept and what legal holds keep, never a value nor
the subject)."""

from django.urls import reverse

from hostpact.privacy.rights import queries as holds
from hostpact.privacy.rights.erasure import services
from hostpact.privacy.rights.models import ErasureJob


def job_for_token(token: str) -> ErasureJob | None:
    """The job a status URL names, or None (the token is 32 random bytes)."""
    if not token or len(token) > 64:
        return None
    return ErasureJob.objects.filter(status_token=token).first()


def status_path(job: ErasureJob) -> str:
    """Return the API path of the job's public status."""
    return reverse("api:erasure_status", kwargs={"token": job.status_token})


def blocker_links(blockers) -> list[dict]:
    """Each blocker's text and the address of the page that settles it ("" when none)."""
    return [{"text": b.text, "url": reverse(b.url_name, args=b.args) if b.url_name else ""}
            for b in blockers]


def status_of(job: ErasureJob) -> dict:
    """The public status of a job: no values and nothing naming the subject."""
    return {
        "request_id": str(job.request_id), "state": job.state,
        "state_label": job.get_state_display(), "steps_done": list(job.steps_done),
        "steps_total": len(services.steps()), "hold_reason": job.hold_reason,
        "kept": [{k: row[k] for k in ("item", "fields", "basis", "until")} for row in job.kept],
        "held": holds.held_for_status(job.subject_id),
        "requested_at": job.created_at, "finished_at": job.finished_at,
    }
