"""Surveys and invitees for the surveys tests, built with the platform's own services."""

import re

from hostpact.core.models import OutboxMessage
from hostpact.marketing import services as marketing
from hostpact.surveys import services
from hostpact.testing.factories import make_subscriber

TOKEN = re.compile(r"/surveys/r/(\S+)")


def invitee(**overrides):
    """Return a new subscriber who may receive survey invitations."""
    user = make_subscriber(**overrides)
    marketing.set_subscription(user.subject_id, "surveys", True, method="panel",
                               actor="system:test")
    return user


def survey(provider: str = ""):
    """Return a draft survey with a single-choice, a multiple-choice, a scale and a text
    question."""
    s = services.create_survey(title="How are we doing?", introduction="Tell us.",
                               provider=provider, actor="staff:1")
    services.add_question(s.pk, kind="single", text="Which plan?", choices=["Basic", "Pro"],
                          actor="staff:1")
    services.add_question(s.pk, kind="multiple", text="What do you use?",
                          choices=["Mail", "Web", "DNS"], actor="staff:1")
    services.add_question(s.pk, kind="scale", text="How happy are you?", scale_min=1,
                          scale_max=5, actor="staff:1")
    services.add_question(s.pk, kind="text", text="Anything else?", actor="staff:1")
    return s


def tokens(subject_id=None) -> list[str]:
    """Return the survey tokens in the queued invitation mail (of one subject, or all)."""
    rows = OutboxMessage.objects.filter(category__in=("surveys",)).order_by("pk")
    if subject_id is not None:
        rows = rows.filter(subject_id=subject_id)
    return [TOKEN.search(m.body).group(1) for m in rows]


def post_data(s, single="Basic", multiple=("Mail",), scale="4", text="", contact=False):
    """Return the answer form's POST data for survey ``s``."""
    q = {x.kind: x.pk for x in s.questions.all()}
    data = {f"q{q['single']}": single, f"q{q['multiple']}": list(multiple),
            f"q{q['scale']}": scale, f"q{q['text']}": text}
    if contact:
        data["contact_ok"] = "1"
    return data
