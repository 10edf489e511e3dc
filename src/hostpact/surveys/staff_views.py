"""The surveys back office (marketing or compliance staff, and superusers): build a survey,
see whom its segment reaches, invite, remind once, close, hand invitations to a provider and
import its answers, read and review results, share them through the gate, publish what
changed. Every button calls a service; a refusal is shown and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.core import audit
from hostpact.privacy import aggregates, roles
from hostpact.surveys import answering, results, services, tasks
from hostpact.surveys.forms import ChangeForm, ImportForm, QuestionForm, ShareForm, SurveyForm
from hostpact.surveys.models import Answer, Question, Survey

ROLES = ("marketing", "compliance")


def may_manage(user) -> bool:
    """Return True for staff who may run surveys."""
    return roles.has_role(user, *ROLES)


staff_only = user_passes_test(may_manage, login_url="admin:login")


@require_http_methods(["GET", "POST"])
@staff_only
def index(request):
    """The surveys, and the form to start one."""
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(**form.fields_for_service(),
                                            actor=audit.actor_of(request.user))
        except services.SurveyRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "The survey is created: add its questions.")
            return redirect("surveys:staff_detail", survey.pk)
    return render(request, "surveys/staff_index.html",
                  {"surveys": Survey.objects.all(), "form": form},
                  status=400 if form.errors else 200)


def _count(survey) -> str:
    n = len(services.reach(survey))
    shown = aggregates.suppressed(n, aggregates.STAFF)
    return "fewer than 10" if shown is None else str(shown)


def _act(request, survey, action: str, forms: dict) -> HttpResponse | str | None:
    actor = audit.actor_of(request.user)
    if action == "save":
        if not forms["survey"].is_valid():
            return None
        services.update_survey(survey.pk, **forms["survey"].fields_for_service(), actor=actor)
        return "The survey is saved."
    if action == "question":
        form = forms["question"]
        if not form.is_valid():
            return None
        data = form.cleaned_data
        services.add_question(survey.pk, kind=data["kind"], text=data["text"],
                              choices=(data["choices"] or "").splitlines(),
                              scale_min=data["scale_min"] or 1,
                              scale_max=data["scale_max"] or 5, actor=actor)
        return "The question is added."
    if action == "invite":
        services.start_invitations(survey.pk, actor=actor)
        tasks.invite_survey.enqueue(survey.pk)
        return ("The survey is open. Its invitations are being queued in the background: the "
                "count of invitations below grows until everyone in the segment is invited.")
    if action == "provider_file":
        content = services.provider_file(survey.pk, actor=actor)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        name = f"survey-{survey.pk}-invitations.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if action == "import":
        if not forms["import"].is_valid():
            return None
        upload = forms["import"].cleaned_data["file"]
        count = answering.import_file(survey.pk, upload.read(), upload.name, actor=actor)
        return f"{count} responses were imported."
    if action == "remind":
        return f"{services.send_reminder(survey.pk, actor=actor)} reminders are queued."
    if action == "close":
        services.close_survey(survey.pk, actor=actor)
        return "The survey is closed."
    if action == "publish":
        if not forms["change"].is_valid():
            return None
        _change, mailed = services.publish_change(survey.pk, forms["change"].cleaned_data["text"],
                                                  actor=actor)
        return f"The change is published; {mailed} participants who asked are told."
    return None


@require_http_methods(["GET", "POST"])
@staff_only
def detail(request, pk: int):
    """One survey: its settings, questions, reach and the actions its state allows."""
    survey = get_object_or_404(Survey, pk=pk)
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "")
    forms = {"survey": SurveyForm(post if action == "save" else None,
                                  initial=SurveyForm.initial_for(survey)),
             "question": QuestionForm(post if action == "question" else None),
             "change": ChangeForm(post if action == "publish" else None),
             "import": ImportForm(post if action == "import" else None,
                                  request.FILES if action == "import" else None)}
    error = None
    if post is not None:
        try:
            outcome = _act(request, survey, action, forms)
        except (services.SurveyRefused, answering.AnswerRefused) as exc:
            error = str(exc)
        else:
            if isinstance(outcome, HttpResponse):
                return outcome
            if outcome:
                messages.success(request, outcome)
                return redirect("surveys:staff_detail", survey.pk)
            error = "Nothing was changed: please correct the form below."
        if error:
            messages.error(request, error)
    context = {"survey": survey, "questions": survey.questions.all(), "forms": forms,
               "reach": _count(survey), "answered": survey.invitations.filter(
                   answered=True).count(), "invited": survey.invitations.count()}
    return render(request, "surveys/staff_detail.html", context,
                  status=400 if error else 200)


@require_http_methods(["GET"])
@staff_only
def results_page(request, pk: int):
    """The suppressed results, the texts awaiting review and the share form."""
    survey = get_object_or_404(Survey, pk=pk)
    pending = (Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT,
                                     review__isnull=True).select_related("question")
               .order_by("text"))
    return render(request, "surveys/staff_results.html", {
        "survey": survey, "results": results.results(survey), "pending": pending,
        "share_form": ShareForm()})


@require_POST
@staff_only
def review(request, pk: int):
    """Approve or withhold one free-text answer."""
    survey = get_object_or_404(Survey, pk=pk)
    try:
        results.review_text(request.POST.get("answer", ""), request.POST.get("decision", ""),
                            actor=audit.actor_of(request.user))
    except (services.SurveyRefused, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The answer is reviewed.")
    return redirect("surveys:staff_results", survey.pk)


@require_POST
@staff_only
def share(request, pk: int):
    """Download the shareable results for a recipient, after the gate accepted."""
    survey = get_object_or_404(Survey, pk=pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            content, kind = results.share(survey.pk, form.cleaned_data["recipient"],
                                          form.cleaned_data["fmt"],
                                          actor=audit.actor_of(request.user))
        except services.SurveyRefused as exc:
            messages.error(request, str(exc))
        else:
            response = HttpResponse(content, content_type=kind)
            ext = form.cleaned_data["fmt"]
            response["Content-Disposition"] = f'attachment; filename="survey-{pk}-results.{ext}"'
            return response
    else:
        messages.error(request, "Choose a recipient and a format.")
    return redirect("surveys:staff_results", survey.pk)
