"""The subscriber's billing pages: catalogue and services, orders, invoices, billing address,
and replacing the card payments use.

Views stay thin: they check the form and call ``services``. Every invoice is looked up together
with its owner, so another subscriber's number answers 404, never its data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from hostpact.billing import services
from hostpact.billing.forms import BillingAddressForm, CardForm, OrderForm
from hostpact.billing.gateway import CardError
from hostpact.billing.models import BillingAddress, Credit, Invoice, Price, Product, Service
from hostpact.core import audit
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased

PER_PAGE = 20


def _actor(request) -> str:
    return audit.actor_of(request.user)


def _own_invoice(request, number: str) -> Invoice:
    return get_object_or_404(
        Invoice.objects.prefetch_related("lines__order", "payments__refunds__order"),
        number=number, user=request.user)


def _catalogue(realm_id):
    products = (Product.objects.filter(active=True)
                .prefetch_related("prices").order_by("sort_order", "code"))
    groups: dict[str, dict] = {}
    for product in products:
        prices = [(p, services.price_amount(p, realm_id)) for p in product.prices.all()
                  if p.active]
        if not prices:
            continue
        group = groups.setdefault(product.kind, {"title": product.get_kind_display(),
                                                 "products": []})
        group["products"].append({"product": product, "prices": prices})
    return list(groups.values())


@login_required
def services_page(request):
    """The catalogue to order from, and the subscriber's own services."""
    own = (Service.objects.filter(user=request.user)
           .select_related("product", "order")
           .prefetch_related("order__invoice_lines__invoice"))
    return render(request, "billing/services.html",
                  {"catalogue": _catalogue(request.user.realm_id), "services": own})


def _placed(request, invoice: Invoice):
    """Answer a placed order: an invoice its credits cover is paid at once, no card needed."""
    if invoice.total == 0:
        services.pay_invoice(invoice, _actor(request))
        messages.success(request, f"Order placed. Your credits paid invoice {invoice.number} "
                                  "and your service is active.")
    else:
        messages.success(request, f"Order placed. Invoice {invoice.number} is ready to pay.")
    return redirect("billing:invoice", number=invoice.number)


@login_required
@require_http_methods(["GET", "POST"])
def order_page(request, price_id: int):
    """Show what the order costs and whom it will be billed to; place it on confirmation."""
    price = get_object_or_404(Price.objects.select_related("product"), pk=price_id,
                              active=True, product__active=True)
    form = OrderForm(data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                placed = services.place_order(request.user, price, _actor(request),
                                              quantity=form.cleaned_data["quantity"])
            except services.BillingError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            except SubjectErased:
                return erasure_started(request)
            else:
                return _placed(request, placed.invoice)
        status = 400
    quantity = 1
    if form.is_bound and form.is_valid():
        quantity = form.cleaned_data["quantity"]
    party, party_error = None, ""
    try:
        party = services.billed_party(request.user)
    except services.BillingError as exc:
        party_error = str(exc)
    return render(request, "billing/order.html", {
        "price": price, "form": form,
        "quote": services.quote(price, quantity, request.user.realm_id),
        "unit_amount": services.price_amount(price, request.user.realm_id),
        "party": party, "party_error": party_error, "per_unit": bool(price.product.unit),
        "card": services.default_card(request.user),
    }, status=status)


@login_required
def invoices_page(request):
    page = Paginator(Invoice.objects.filter(user=request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    credits = Credit.objects.filter(user=request.user, status=Credit.Status.AVAILABLE)
    return render(request, "billing/invoices.html", {
        "page": page, "credits": list(credits), "credit_balance":
        services.credit_balance(request.user)})


@login_required
def invoice_page(request, number: str):
    invoice = _own_invoice(request, number)
    return render(request, "billing/invoice.html", {
        "invoice": invoice,
        "card": services.default_card(request.user),
    })


@login_required
@require_POST
def invoice_pay(request, number: str):
    invoice = _own_invoice(request, number)
    try:
        services.pay_invoice(invoice, _actor(request))
    except services.BillingError as exc:
        messages.error(request, str(exc))
        invoice.refresh_from_db()
        return render(request, "billing/invoice.html", {
            "invoice": invoice,
            "card": services.default_card(request.user),
        }, status=409 if exc.code == "not_open" else 402)
    except SubjectErased:
        return erasure_started(request)
    messages.success(request, f"Thank you: invoice {invoice.number} is paid and your service "
                              "is active.")
    return redirect("billing:invoice", number=invoice.number)


@login_required
def invoice_download(request, number: str):
    """A self-contained printable HTML file of the invoice, offered as a download."""
    invoice = _own_invoice(request, number)
    body = render_to_string("billing/invoice_print.html", {"invoice": invoice})
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.html"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def billing_address_page(request):
    """Set a billing address different from the postal one, or go back to the postal one."""
    current = BillingAddress.objects.filter(user=request.user).first()
    if request.method == "POST" and "use_postal" in request.POST:
        services.set_billing_address(request.user, None, _actor(request))
        messages.success(request, "Invoices will use your postal address.")
        return redirect("billing:address")
    if request.method == "POST":
        form = BillingAddressForm(data=request.POST)
        if form.is_valid():
            try:
                services.set_billing_address(request.user, form.cleaned_data, _actor(request))
            except services.BillingError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "Your billing address is saved; the next invoice "
                                          "will use it.")
                return redirect("billing:address")
        status = 400
    else:
        initial = ({k: getattr(current, k) or "" for k in services.ADDRESS_FIELDS}
                   if current else {"country": "IN"})
        form, status = BillingAddressForm(initial=initial), 200
    try:
        postal = services.billed_party(request.user) if current is None else None
    except services.BillingError:
        postal = None
    return render(request, "billing/billing_address.html",
                  {"form": form, "current": current, "postal": postal}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_card(request):
    """Replace the default card, linked from "My information"; the number goes to the gateway."""
    form = CardForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.replace_card(request.user, data["card_number"], data["card_exp_month"],
                                  data["card_exp_year"], data["card_cvc"], _actor(request))
        except CardError as exc:
            form.add_error(f"card_{exc.field}" if f"card_{exc.field}" in form.fields else None,
                           str(exc))
        else:
            messages.success(request, "Your new card is saved and will be used for payments.")
            return redirect("panel:information")
    card = services.default_card(request.user)
    # The account pages' form layout, so every correction linked from "My information" looks
    # the same.
    return render(request, "accounts/panel/form.html", {
        "form": form, "title": "Replace your card", "submit": "Save card",
        "intro": (f"Current card: {card.summary}. " if card else "")
        + "The card number goes to our payment gateway; we keep only its brand, last 4 digits "
          "and expiry.",
    }, status=400 if request.method == "POST" else 200)
