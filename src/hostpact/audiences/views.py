"""Pages of the audiences app: the subscriber's optional form (C04) and the staff dashboard of
aggregate profiles (C17), with its CSV export and "Rebuild now". Views are thin: the writes
are ``services`` and ``profiles.build_profiles``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.audiences import profiles, services
from hostpact.audiences.forms import AnswersForm, initial_of
from hostpact.audiences.models import Answers
from hostpact.core import audit, clock
from hostpact.privacy import aggregates, roles

ROLES = ("marketing", "compliance")


@login_required
@require_http_methods(["GET", "POST"])
def about_you(request):
    """Show the optional form with the subscriber's answers; save them on POST."""
    answers = Answers.objects.filter(subject_id=request.user.subject_id).first()
    if request.method == "POST":
        form = AnswersForm(data=request.POST)
        if form.is_valid():
            try:
                services.save_answers(request.user, form.cleaned_data,
                                      actor=audit.actor_of(request.user))
            except services.AnswersInvalid as exc:
                form.add_error(exc.field, str(exc))
            else:
                messages.success(request, "Thank you: your answers are saved. You can change "
                                          "or clear them at any time.")
                return redirect("audiences:form")
        messages.error(request, "Nothing was saved: please correct the questions below.")
        return render(request, "audiences/form.html", {"form": form, "answered": answers},
                      status=400)
    form = AnswersForm(initial=initial_of(answers))
    return render(request, "audiences/form.html", {"form": form, "answered": answers})


@login_required
@require_POST
def clear(request):
    """Delete every answer of the subscriber in one click."""
    services.clear_answers(request.user, actor=audit.actor_of(request.user))
    messages.success(request, "All your answers are deleted. We no longer hold any of them.")
    return redirect("audiences:form")


def may_see(user) -> bool:
    """Marketing and compliance staff (and superusers) see the aggregate profiles."""
    return roles.has_role(user, *ROLES)


@require_http_methods(["GET"])
@user_passes_test(may_see, login_url="admin:login")
def dashboard(request):
    """The aggregate profile tables, suppressed below ``aggregates.STAFF``, with charts."""
    return render(request, "audiences/dashboard.html", {
        "tables": profiles.tables(aggregates.STAFF), "built_at": profiles.built_at(),
        "threshold": aggregates.STAFF})


@require_POST
@user_passes_test(may_see, login_url="admin:login")
def rebuild(request):
    """Build the tables now."""
    cells = profiles.build_profiles(actor=audit.actor_of(request.user))
    messages.success(request, f"The profile tables were rebuilt ({cells} cells).")
    return redirect("audiences:dashboard")


@require_http_methods(["GET"])
@user_passes_test(may_see, login_url="admin:login")
def export(request):
    """Every table as CSV, suppressed cells written "suppressed"."""
    response = HttpResponse(profiles.export_csv(aggregates.STAFF),
                            content_type="text/csv; charset=utf-8")
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="aggregate-profiles-{stamp}.csv"'
    return response
