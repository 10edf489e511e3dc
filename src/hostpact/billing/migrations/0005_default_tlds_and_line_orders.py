"""Give a fresh database the default TLD prices, and link existing invoice lines to their order.

Before multi-line orders an invoice named its one order; each of its lines now names it, and the
order takes the line's description, so old and new invoices read the same way.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from hostpact.billing.catalogue import ensure_default_catalogue

    ensure_default_catalogue(apps.get_model("billing", "Product"),
                             apps.get_model("billing", "Price"),
                             apps.get_model("billing", "TldPrice"))
    line_model = apps.get_model("billing", "InvoiceLine")
    order_model = apps.get_model("billing", "Order")
    lines = (line_model.objects.filter(order__isnull=True, invoice__order__isnull=False)
             .select_related("invoice").order_by("pk"))
    for line in lines.iterator():
        line.order_id = line.invoice.order_id
        line.save(update_fields=["order"])
        order_model.objects.filter(pk=line.order_id, description="").update(
            description=line.description)


class Migration(migrations.Migration):

    dependencies = [("billing", "0004_domains_orders_refunds")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
