"""Background tasks of the requests app: reminders before a request falls due."""

from django_tasks import task

from hostpact.privacy.requests import services


@task()
def send_dsr_reminders() -> int:
    """Mail assignees 7 days and 1 day before a request is due (once per threshold)."""
    return services.send_due_reminders()
