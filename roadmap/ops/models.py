from django.db import models


class ContentVersion(models.Model):
    """One row: a token that changes whenever the public content changes.

    The database holds the truth so that processes that share no cache (local memory) still agree;
    a shared cache (Redis) mirrors it so that a request does not need the database to find it.
    """

    token = models.CharField(max_length=40)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class HealthWrite(models.Model):
    """One row that every /healthz rewrites: proof that the database still accepts writes
    (a full disk or a read-only database answers reads but refuses this)."""

    checked_at = models.DateTimeField()
