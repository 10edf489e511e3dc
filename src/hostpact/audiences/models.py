"""What the audiences app stores: one subscriber's optional answers about themselves, and the
aggregate profile tables (counts per category, about no one).

Every answer is encrypted under the subscriber's account key; an empty answer ("Prefer not to
say") is stored as nothing. A subscriber who answers nothing has no row. The aggregate table has
no subject, no name and no id of anyone: a row is a count under two labels.
"""

from django.db import models

from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Subject


def _answer():
    return EncryptedTextField(retention_class="account")


class Answers(models.Model):
    """One subscriber's answers to the optional form (C04); every answer may be missing."""

    user = models.OneToOneField("accounts.User", on_delete=models.CASCADE,
                                related_name="audience_answers")
    subject = models.OneToOneField(Subject, on_delete=models.CASCADE, related_name="+")
    age_band = _answer()
    gender = _answer()
    country = _answer()
    org_type = _answer()
    org_size = _answer()
    products = _answer()  # product kinds, comma-separated
    topics = _answer()  # topics of interest, comma-separated
    channel = _answer()
    other = _answer()

    class Meta:
        verbose_name = "answers about you"
        verbose_name_plural = "answers about you"

    def __str__(self):
        return f"answers {self.pk}"


class ProfileCount(models.Model):
    """One cell of an aggregate profile table: how many subscribers fall under two labels."""

    table = models.CharField(max_length=40)
    row = models.CharField(max_length=60)
    column = models.CharField(max_length=60, blank=True)  # "" in a one-way table
    count = models.PositiveIntegerField()
    built_at = models.DateTimeField()

    class Meta:
        ordering = ["table", "row", "column"]
        constraints = [models.UniqueConstraint(fields=["table", "row", "column"],
                                               name="one_profile_cell")]

    def __str__(self):
        return f"{self.table}[{self.row}, {self.column}]"
