"""The reseller panel's pages about customers' rights: removal requests (C39), opt-outs
(C40), requests forwarded to the reseller (C38) and a customer's export. They stay open while
the reseller may not sell: its customers keep their rights."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from hostpact.accounts.models import User
from hostpact.core import clock
from hostpact.core.customer_ids import customer_id_for
from hostpact.resellers.models import ForwardedRequest, OptOut, RemovalRequest
from hostpact.resellers.views.panel import (
    PER_PAGE,
    actor,
    customer_or_404,
    member_page,
    page,
    touch,
)


def _customer_ids(subject_ids) -> dict:
    """Return {subject id: customer id} of the accounts still there."""
    return {sid: customer_id_for(pk) for sid, pk in User.objects.filter(
        subject_id__in=list(subject_ids)).values_list("subject_id", "pk")}


@member_page("removals")
@require_POST
def removal_new(request, member, ref):
    """Ask the platform to remove a customer's data (from the customer's page)."""
    from hostpact.resellers.services.removals import request_removal

    user = customer_or_404(member, ref)
    rr, created = request_removal(member.reseller, user, actor=actor(member))
    messages.success(request, f"Removal request R-{rr.pk} {'opened' if created else 'was open'}"
                     f": due {rr.due_on:%d %b %Y}.")
    return redirect("resellers:panel_removal", member.reseller.slug, rr.pk)


@member_page("removals")
def removals(request, member):
    """The reseller's removal requests: state, due date and business days left."""
    from hostpact.resellers.services.removals import business_days_left

    current = Paginator(RemovalRequest.objects.filter(reseller=member.reseller),
                        PER_PAGE).get_page(request.GET.get("page"))
    today = clock.today()
    return page(request, member, "resellers/panel/removals.html", {
        "page": current,
        "rows": [(rr, business_days_left(rr, today)) for rr in current.object_list]})


@member_page("removals")
def removal(request, member, pk):
    """One removal request, with the report of what was removed and what was kept."""
    from hostpact.resellers.services.removals import as_dict

    rr = RemovalRequest.objects.filter(reseller=member.reseller, pk=pk).first()
    if rr is None:
        raise Http404("No removal request of this reseller has this number.")
    return page(request, member, "resellers/panel/removal.html",
                {"rr": rr, "info": as_dict(rr)})


@member_page("opt-outs")
@require_POST
def opt_out_new(request, member, ref):
    """Record that a customer wants no more of the reseller's contact."""
    from hostpact.resellers.services.choice import record_opt_out

    user = customer_or_404(member, ref)
    _, created = record_opt_out(member.reseller, user, channel=OptOut.Channel.PANEL,
                                actor=actor(member))
    messages.success(request, f"{user.customer_id} " + (
        "opted out of your contact." if created else "had already opted out."))
    return redirect("resellers:panel_customer", member.reseller.slug, user.customer_id)


@member_page("opt-outs")
def opt_outs(request, member):
    """The customers who want no more of the reseller's contact, newest first."""
    current = Paginator(OptOut.objects.filter(reseller=member.reseller)
                        .order_by("-recorded_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    ids = _customer_ids(o.subject_id for o in current.object_list)
    return page(request, member, "resellers/panel/opt_outs.html", {
        "page": current, "rows": [(o, ids.get(o.subject_id)) for o in current.object_list]})


@member_page("requests")
def forwarded(request, member):
    """The requests the platform forwarded to the reseller: open ones first."""
    current = Paginator(ForwardedRequest.objects.filter(reseller=member.reseller)
                        .order_by("-state", "-consented_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page"))
    rows = list(current.object_list)
    shown = touch(member, [fr.subject_id for fr in rows], ["user.account", "user.content"])
    ids = _customer_ids(fr.subject_id for fr in rows)
    return page(request, member, "resellers/panel/forwarded.html", {
        "page": current, "shown": shown, "rows": [(fr, ids.get(fr.subject_id)) for fr in rows]})


@member_page("requests")
@require_POST
def forwarded_answered(request, member, pk):
    """Mark a forwarded request answered."""
    from hostpact.resellers.services.forwarding import answer_forwarded

    fr = ForwardedRequest.objects.filter(reseller=member.reseller, pk=pk).first()
    if fr is None:
        raise Http404("No forwarded request of this reseller has this number.")
    answer_forwarded(fr, actor=actor(member))
    messages.success(request, f"Request {fr.pk} marked answered.")
    return redirect("resellers:panel_forwarded", member.reseller.slug)


@member_page("customers:read")
@require_POST
def export(request, member, ref):
    """Download the data the reseller controls about a customer, as JSON (the export
    records its own disclosure)."""
    from hostpact.resellers.services.exports import export_customer

    user = customer_or_404(member, ref)
    document = export_customer(member.reseller, user, actor=actor(member))
    response = HttpResponse(json.dumps(document, cls=DjangoJSONEncoder, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="{user.customer_id}-'
                                       f'{clock.today():%Y%m%d}.json"')
    return response
