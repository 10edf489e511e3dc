"""Background tasks of the surveys app: inviting a survey's segment, a chunk per transaction,
off the request (a segment of 100,000 takes minutes)."""

from django_tasks import task

from hostpact.surveys import services


@task()
def invite_survey(survey_id: int) -> int:
    """Invite everyone the open survey reaches who has no invitation yet; return how many."""
    return services.invite_pending(survey_id)
