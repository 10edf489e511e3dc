"""URLs of the billing app: services and ordering, invoices, the billing address, the card."""

from django.urls import path

from hostpact.billing import views

urlpatterns = [
    path("panel/services/", views.services_page, name="billing-services"),
    path("panel/services/order/<int:price_id>/", views.order_page, name="billing-order"),
    path("panel/invoices/", views.invoices_page, name="billing-invoices"),
    path("panel/invoices/<str:number>/", views.invoice_page, name="billing-invoice"),
    path("panel/invoices/<str:number>/pay/", views.invoice_pay, name="billing-invoice-pay"),
    path("panel/invoices/<str:number>/download/", views.invoice_download,
         name="billing-invoice-download"),
    path("panel/billing-address/", views.billing_address_page, name="billing-address"),
    path("panel/information/card/", views.edit_card, name="panel-card"),
]
