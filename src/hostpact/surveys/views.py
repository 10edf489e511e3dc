"""Pages of the surveys app for participants: the answer page of an invitation's link (works
logged out: the token is the key) and the subscriber's own "Surveys" page, where an invited
subscriber may answer without the link and reads what changed. Writes are ``answering``'s.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hostpact.surveys import answering
from hostpact.surveys.models import Change, Invitation, Survey


def _given(request, survey: Survey) -> dict:
    return {str(q.pk): request.POST.getlist(f"q{q.pk}") for q in survey.questions.all()}


def _items(survey: Survey, given: dict, error_field) -> list[dict]:
    items = []
    for q in survey.questions.all():
        options = (range(q.scale_min, q.scale_max + 1) if q.kind == "scale" else q.choices)
        chosen = given.get(str(q.pk), [])
        items.append({"q": q, "name": f"q{q.pk}", "invalid": error_field == f"q{q.pk}",
                      "options": [(str(o), str(o) in chosen) for o in options],
                      "text": "\n".join(chosen) if q.kind == "text" else ""})
    return items


def _page(request, invitation: Invitation, action_url: str):
    survey = invitation.survey
    context = {"survey": survey, "invitation": invitation, "action_url": action_url,
               "items": _items(survey, {}, None), "error": None}
    if invitation.answered:
        return render(request, "surveys/answered.html", context)
    if survey.state != Survey.State.INVITING:
        return render(request, "surveys/closed.html", context)
    if request.method == "POST":
        data = _given(request, survey)
        try:
            answering.store(invitation.pk, data, contact_ok=bool(request.POST.get("contact_ok")))
        except answering.AnswerRefused as exc:
            context.update(error=str(exc), items=_items(survey, data, exc.field),
                           contact_ok=bool(request.POST.get("contact_ok")))
            return render(request, "surveys/answer.html", context, status=400)
        return render(request, "surveys/thanks.html", context)
    return render(request, "surveys/answer.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token: str):
    """The survey of an invitation link; store the answers on POST."""
    invitation = answering.invitation_for(token)
    if invitation is None:
        raise Http404("This survey link is not valid.")
    return _page(request, invitation, request.path)


@login_required
@require_http_methods(["GET", "POST"])
def answer_mine(request, pk: int):
    """A survey the logged-in subscriber was invited to; another's answers 404."""
    invitation = (Invitation.objects.select_related("survey")
                  .filter(survey_id=pk, subject_id=request.user.subject_id).first())
    if invitation is None:
        raise Http404("You were not invited to this survey.")
    return _page(request, invitation, request.path)


@login_required
@require_http_methods(["GET"])
def mine(request):
    """The surveys the subscriber was invited to and what changed in response."""
    invitations = list(Invitation.objects.select_related("survey")
                       .filter(subject_id=request.user.subject_id)
                       .exclude(survey__state=Survey.State.DRAFT)
                       .order_by("-survey__invited_at"))
    changes = Change.objects.filter(survey_id__in=[i.survey_id for i in invitations])
    return render(request, "surveys/mine.html", {"invitations": invitations,
                                                 "changes": changes})
