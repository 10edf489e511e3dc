"""Background tasks of the data-subject requests app: reminders before a request falls due."""

from django_tasks import task

from hostpact.privacy.subject_requests import services


@task()
def send_dsr_reminders() -> int:
    """Mail assignees 7 days and 1 day before a request is due (once per threshold)."""
    return services.send_due_reminders()
