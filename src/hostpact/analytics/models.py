"""The tables of diagnostics (the request log) and visit statistics, and their aggregates.

* ``RequestLog``: one request, by its path template (never the raw path, which may hold ids),
  its status and duration, and the client's address and user agent for diagnosing the servers
  (policy 3.2, C18). Addresses are truncated after 7 days and rows deleted after 90, by the
  retention run reading the data map.
* ``Visitor``: a repeat-visit counter keyed by the random id of the ``hp_visitor`` performance
  cookie (policy 2.3.1, C07). It has no relation to users, accounts or any other table, and
  nothing else in it: the id is drawn at random, never derived from anything about the person.
* ``VisitHash`` and ``VisitSalt``: counting without a cookie (Plausible's method): one row per
  day and SHA-256 of the day's random salt + IP + user agent; the salt is destroyed after 48
  hours, and with it any way to link a hash to an address.
* ``VisitDay``: the day's counts, kept for the statistics once the hashes are gone.
* ``DemographicCount``: a snapshot of subscribers by country and age band, computed by a
  periodic task (the data is encrypted, so not on each view of the dashboard).
"""

from django.db import models

ROUTE_LENGTH = 200
USER_AGENT_LENGTH = 300
IP_LENGTH = 45


class RequestLog(models.Model):
    """One request the platform answered."""

    at = models.DateTimeField(db_index=True)
    route = models.CharField(max_length=ROUTE_LENGTH,
                             help_text="The path template or view name, never the raw path.")
    method = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField()
    duration_ms = models.FloatField()
    client_ip = models.CharField(max_length=IP_LENGTH, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_LENGTH, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.method} {self.route} {self.status}"


class Visitor(models.Model):
    """A browser that accepted performance cookies, known only by its random id."""

    visitor_id = models.CharField(max_length=32, unique=True)
    first_day = models.DateField()
    last_day = models.DateField()
    days = models.PositiveIntegerField(default=1, help_text="Days on which it visited.")
    views = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"visitor {self.pk}"


class VisitSalt(models.Model):
    """The random salt of one day's cookieless hashes; destroyed after 48 hours."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self):
        return f"salt of {self.day}"


class VisitHash(models.Model):
    """One cookieless visitor of one day, by the hash of the day's salt, IP and user agent."""

    day = models.DateField()
    digest = models.CharField(max_length=64)
    views = models.PositiveIntegerField(default=1)
    at = models.DateTimeField(db_index=True, help_text="First seen.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "digest"],
                                               name="one_visit_hash_per_day")]

    def __str__(self):
        return f"visit of {self.day}"


class VisitDay(models.Model):
    """The visit counts of one day."""

    day = models.DateField(unique=True)
    views = models.PositiveIntegerField(default=0, help_text="Page views counted.")
    visitors = models.PositiveIntegerField(default=0,
                                           help_text="Visitors with the performance cookie.")
    returning = models.PositiveIntegerField(
        default=0, help_text="Of those, visitors seen on an earlier day (repeat visits).")
    anonymous = models.PositiveIntegerField(
        default=0, help_text="Visitors without the cookie, counted by the day's hash.")

    class Meta:
        ordering = ["-day"]
        verbose_name = "visit statistics of a day"
        verbose_name_plural = "visit statistics by day"

    def __str__(self):
        return f"visits of {self.day}"


class DemographicCount(models.Model):
    """One cell of the latest snapshot of subscribers by country or by age band."""

    class Dimension(models.TextChoices):
        COUNTRY = "country", "Country"
        AGE_BAND = "age_band", "Age band"

    taken_at = models.DateTimeField()
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    label = models.CharField(max_length=64)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["dimension", "label"]
        constraints = [models.UniqueConstraint(fields=["dimension", "label"],
                                               name="one_demographic_cell")]

    def __str__(self):
        return f"{self.dimension} {self.label}"
