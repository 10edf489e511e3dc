"""Pages of the privacy complaints: the public complaint form, and the customer's cases."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from hostpact.core import audit, clock, ratelimit
from hostpact.core.http import client_ip
from hostpact.domains.complaints import services
from hostpact.domains.complaints.forms import AnswerForm, ComplaintForm
from hostpact.domains.complaints.models import Complaint


def _refusal_to_form(form, exc: services.ComplaintRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@require_http_methods(["GET", "POST"])
def new_page(request):
    """A third party complains about a domain that uses our privacy service."""
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        limit = settings.DOMAIN_COMPLAINT_RATE_PER_HOUR
        if ratelimit.hit("domain-complaint", client_ip(request), 3600) > limit:
            form.is_valid()
            form.add_error(None, "Too many complaints from your address; try again in an hour.")
            status = 429
        elif form.is_valid():
            try:
                complaint = services.file_complaint(**form.cleaned_data,
                                                    actor=audit.actor_of(request.user))
            except services.ComplaintRefused as exc:
                _refusal_to_form(form, exc)
            else:
                return render(request, "domain_complaints/received.html",
                              {"complaint": complaint}, status=201)
    return render(request, "domain_complaints/new.html", {
        "form": form, "days": settings.DOMAIN_COMPLAINT_ANSWER_DAYS}, status=status)


@login_required
def mine_page(request):
    """The complaints about the subscriber's domains."""
    complaints = (Complaint.objects.filter(domain__user=request.user)
                  .select_related("domain").order_by("-filed_at", "-pk"))
    return render(request, "domain_complaints/mine.html", {"complaints": complaints})


@login_required
@require_http_methods(["GET", "POST"])
def answer_page(request, pk: int):
    """One complaint: its timeline, and the form of the customer's assurances."""
    complaint = get_object_or_404(Complaint.objects.select_related("domain", "answer"), pk=pk,
                                  domain__user=request.user)
    form = AnswerForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            evidence = form.cleaned_data.get("evidence")
            try:
                services.answer_complaint(
                    complaint, statement=form.cleaned_data["statement"],
                    indemnity=form.cleaned_data["indemnity"],
                    evidence=evidence[1] if evidence else None,
                    evidence_name=evidence[0] if evidence else "",
                    actor=audit.actor_of(request.user))
            except services.ComplaintRefused as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, "Thank you: your assurances were sent to our abuse "
                                          "desk.")
                return redirect("domain_complaints:answer", pk=complaint.pk)
    return render(request, "domain_complaints/answer.html", {
        "complaint": complaint, "steps": complaint.steps.all(), "form": form,
        "answer": complaint.given_answer,
        "can_answer": (complaint.state == Complaint.State.AWAITING_ANSWER
                       and clock.today() <= complaint.due_on),
    }, status=status)
