"""URLs of the billing app: services and ordering, invoices, the billing address, the card."""

from django.urls import path

from hostpact.billing import views

app_name = "billing"
urlpatterns = [
    path("panel/services/", views.services_page, name="services"),
    path("panel/services/order/<int:price_id>/", views.order_page, name="order"),
    path("panel/invoices/", views.invoices_page, name="invoices"),
    path("panel/invoices/<str:number>/", views.invoice_page, name="invoice"),
    path("panel/invoices/<str:number>/pay/", views.invoice_pay, name="invoice-pay"),
    path("panel/invoices/<str:number>/download/", views.invoice_download,
         name="invoice-download"),
    path("panel/billing-address/", views.billing_address_page, name="address"),
    path("panel/information/card/", views.edit_card, name="card"),
]
