"""The reseller panel: our own accounts working for a reseller (``Membership``) see its
customers, create them, and follow what the customers asked.

Every page names its reseller (``/reseller/<slug>/…``), so a user working for two picks one;
a page of a reseller the user does not work for is 404, a page the user's role does not give
is 403. Every page that shows a customer's data records the touch first (``touches``), so the
customer's "Who received my data" lists the reseller's user (by role).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hostpact.accounts import services as accounts
from hostpact.accounts.queries import profile_of
from hostpact.billing.models import Service
from hostpact.core import crypto
from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.domains.models import Domain
from hostpact.privacy.disclosures.services import DisclosureRefused
from hostpact.resellers import queries
from hostpact.resellers.forms import CustomerForm, SearchForm
from hostpact.resellers.models import Membership, OptOut, RemovalRequest
from hostpact.resellers.services.customers import create_customer
from hostpact.resellers.services.members import ROLE_RIGHTS, may
from hostpact.resellers.services.resellers import ResellerError, selling_refusal
from hostpact.resellers.services.touches import ACCOUNT, record_touch

PER_PAGE = 25


def actor(member: Membership) -> str:
    return f"reseller-user:{member.user_id}"


def member_page(right: str | None = None):
    """Let the page through for a user working for the reseller named in the URL with
    ``right`` (404 for another reseller, 403 without the right); the view gets the
    membership."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            member = (Membership.objects.select_related("reseller", "reseller__recipient")
                      .filter(reseller__slug=slug, user=request.user).first())
            if member is None:
                raise Http404("You do not work for this reseller.")
            if right is not None and not may(member, right):
                raise PermissionDenied(f"Your role ({member.get_role_display()}) does not "
                                       "give access to this page.")
            return view(request, member, *args, **kwargs)
        return wrapper
    return decorate


def page(request, member, template: str, context: dict, status: int = 200):
    """Render a panel page with the reseller, the member and the rights its role gives."""
    return render(request, template, {"member": member, "reseller": member.reseller,
                                      "rights": ROLE_RIGHTS[member.role], **context},
                  status=status)


def touch(member, subject_ids, categories=ACCOUNT) -> bool:
    """Record that the member sees these customers' data; False when the gate refused (show
    nothing then)."""
    try:
        record_touch(member.reseller, list(subject_ids), categories, actor=actor(member))
    except DisclosureRefused:
        return False
    return True


def customer_or_404(member, ref):
    user = queries.customer_of(member.reseller, ref)
    if user is None:
        raise Http404("No customer of this reseller has this id.")
    return user


@login_required
def choose(request):
    """The resellers the user works for; with one, its dashboard at once."""
    memberships = queries.memberships_of(request.user)
    if len(memberships) == 1:
        return redirect("resellers:panel_dashboard", memberships[0].reseller.slug)
    return render(request, "resellers/panel/choose.html", {"memberships": memberships})


@member_page()
def dashboard(request, member):
    """What needs the reseller's attention: open removals with due dates, forwarded
    requests, and its counts."""
    from hostpact.resellers.services.forwarding import open_requests
    from hostpact.resellers.services.removals import business_days_left

    reseller = member.reseller
    removals = list(RemovalRequest.objects.filter(reseller=reseller,
                                                  state=RemovalRequest.State.OPEN)[:10])
    return page(request, member, "resellers/panel/dashboard.html", {
        "customers": queries.customers_of(reseller).count(),
        "removals": [(rr, business_days_left(rr)) for rr in removals],
        "opt_outs": OptOut.objects.filter(reseller=reseller).count(),
        "forwarded": open_requests(reseller).count(),
        "refusal": selling_refusal(reseller),
    })


@member_page("customers:read")
def customers(request, member):
    """The reseller's customers, paged; found by customer id or exact email."""
    form = SearchForm(data=request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    qs = queries.customers_of(member.reseller).select_related("profile").order_by("pk")
    if q:
        pk = pk_from_customer_id(q)
        qs = qs.filter(pk=pk) if pk is not None else qs.filter(
            email_index=crypto.blind_index("email", q))
    opted = OptOut.objects.filter(reseller=member.reseller, subject_id=OuterRef("subject_id"))
    current = Paginator(qs.annotate(opted_out=Exists(opted)), PER_PAGE).get_page(
        request.GET.get("page"))
    shown = touch(member, [u.subject_id for u in current.object_list])
    return page(request, member, "resellers/panel/customers.html",
                {"form": form, "page": current, "query": q, "shown": shown})


@member_page("customers:write")
@require_http_methods(["GET", "POST"])
def customer_new(request, member):
    """Sign up a customer for the reseller: the sign-up form without the card."""
    form = CustomerForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = create_customer(member.reseller, form.cleaned_data, actor=actor(member))
        except accounts.UnderMinimumAge:
            form.add_error("date_of_birth", "We do not accept customers under 13; nothing "
                           "was stored.")
        except accounts.EmailTaken:
            form.add_error("email", "A customer of yours has this email.")
        except ResellerError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Customer {user.customer_id} created.")
            return redirect("resellers:panel_customer", member.reseller.slug, user.customer_id)
    status = 400 if request.method == "POST" else 200
    return page(request, member, "resellers/panel/customer_new.html", {"form": form},
                status=status)


@member_page("customers:read")
def customer(request, member, ref):
    """One customer: contact details, services and domains, and what can be asked for
    them."""
    user = customer_or_404(member, ref)
    if not touch(member, [user.subject_id]):
        raise PermissionDenied("The reseller agreement is not in force: customer data cannot "
                               "be shown.")
    reseller = member.reseller
    return page(request, member, "resellers/panel/customer.html", {
        "customer": user, "profile": profile_of(user),
        "services": Service.objects.filter(user=user).select_related("product"),
        "domains": Domain.objects.filter(user=user, ended_at__isnull=True),
        "opted_out": OptOut.objects.filter(reseller=reseller, subject_id=user.subject_id)
        .first(),
        "removal": RemovalRequest.objects.filter(reseller=reseller, subject_id=user.subject_id)
        .order_by("-requested_at").first(),
    })
