"""Background work of the policy app: the advance notices of a material version (C36).

Arguments are ids only. The task can be killed and enqueued again at any time: the service
skips every subscriber already noticed, so nobody gets two notices of one version.
"""

from django_tasks import task

from hostpact.privacy.policy import services


@task()
def send_policy_notices(version_id: int) -> int:
    """Queue one notice per affected subscriber, in batches; progress is on the version row."""
    return services.queue_notices(version_id)
