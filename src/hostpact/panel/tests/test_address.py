"""One postal address: the profile and the billing address store and clean it the same way,
and so do the pages and the API that take one."""

import pytest
from django.db import connection

from hostpact.accounts.forms import ProfileForm
from hostpact.accounts.models import Profile
from hostpact.accounts.tests.helpers import web_login
from hostpact.billing.forms import BillingAddressForm
from hostpact.billing.models import BillingAddress
from hostpact.core import crypto
from hostpact.core.forms import AddressForm
from hostpact.core.models import POSTAL_ADDRESS_FIELDS, PostalAddress

ADDRESS = {"line1": "12 Park Street", "line2": "", "city": "Kolkata", "region": "West Bengal",
           "postal_code": "700016", "country": "IN"}
PROFILE = {"name": "Meera Sen", "phone": "+91 98765 43210", "date_of_birth": "1990-01-01"}
BILLING = {"name": "Meera Finance", "company": "", "email": ""}
BAD = [pytest.param({"postal_code": "ABC"}, "postal_code", id="postal-code-not-in-format"),
       pytest.param({"country": "ZZ"}, "country", id="country-not-in-list")]


@pytest.mark.django_db
def test_profile_and_billing_address_have_the_same_address_columns():
    """The profile and the billing address take their address columns from core's abstract
    model: the same names, the same encrypted field, under the same key class, in both
    tables."""
    expected = [(f.name, f.column, type(f), f.retention_class)
                for f in PostalAddress._meta.fields]
    assert [name for name, *_ in expected] == list(POSTAL_ADDRESS_FIELDS)
    for model in (Profile, BillingAddress):
        assert issubclass(model, PostalAddress)
        fields = [model._meta.get_field(name) for name in POSTAL_ADDRESS_FIELDS]
        assert [(f.name, f.column, type(f), f.retention_class) for f in fields] == expected
        with connection.cursor() as cursor:
            columns = {c.name for c in connection.introspection.get_table_description(
                cursor, model._meta.db_table)}
        assert set(POSTAL_ADDRESS_FIELDS) <= columns


@pytest.mark.django_db
def test_an_address_value_decrypts_in_whichever_column_holds_it(subscriber):
    """A stored address value names its subject and key class, not its column, so renaming
    a column keeps every stored value readable."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line1 FROM {Profile._meta.db_table} WHERE id = %s",
                       [subscriber.profile.pk])
        (token,) = cursor.fetchone()
    assert token.startswith(crypto.PREFIX)
    other_column = BillingAddress._meta.get_field("city")
    assert other_column.from_db_value(token, None, connection) == subscriber.profile.line1


def test_profile_and_billing_forms_clean_an_address_alike():
    """The same address typed with stray spaces and a lower-case postal code comes out the same
    from the profile form and the billing address form: single-spaced, code upper-cased."""
    typed = {"line1": "  12  Park   Street ", "line2": "Flat\t3B", "city": "Kolkata  East",
             "region": "West   Bengal", "postal_code": " 700016 ", "country": "IN"}
    profile, billing = ProfileForm(data={**PROFILE, **typed}), BillingAddressForm(
        data={**BILLING, **typed})
    assert profile.is_valid(), profile.errors
    assert billing.is_valid(), billing.errors
    cleaned = [{k: form.cleaned_data[k] for k in POSTAL_ADDRESS_FIELDS}
               for form in (profile, billing)]
    assert cleaned[0] == cleaned[1] == {
        "line1": "12 Park Street", "line2": "Flat 3B", "city": "Kolkata East",
        "region": "West Bengal", "postal_code": "700016", "country": "IN"}


def _refusal(bad: dict, field: str) -> list[str]:
    form = AddressForm(data={**ADDRESS, **bad})
    assert not form.is_valid()
    return form.errors[field]


@pytest.mark.parametrize(("bad", "field"), BAD)
def test_a_bad_address_is_refused_alike_by_the_profile_and_billing_forms(bad, field):
    """A postal code not in the country's format, or a country not in the list, is refused by
    the profile form and the billing address form with the address form's own message."""
    message = _refusal(bad, field)
    for form in (ProfileForm(data={**PROFILE, **ADDRESS, **bad}),
                 BillingAddressForm(data={**BILLING, **ADDRESS, **bad})):
        assert not form.is_valid()
        assert form.errors[field] == message


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field"), BAD)
def test_a_bad_address_is_refused_alike_by_the_api(client, subscriber, bad, field):
    """``PATCH /me`` and the sign-up API refuse the same bad address with the same message,
    under the API's name of the field."""
    message = _refusal(bad, field)
    web_login(client, subscriber)
    resp = client.patch("/api/v1/me", {"address": bad}, content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["errors"][f"address.{field}"] == message
    client.logout()
    signup = {"name": "Ravi Example", "email": "ravi@example.test", "phone": "+91 98765 43210",
              "address": {**ADDRESS, **bad}, "date_of_birth": "1985-04-02",
              "password": "a-long-enough-pass-1",
              "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2031,
                       "cvc": "123"}}
    resp = client.post("/api/v1/signup", signup, content_type="application/json")
    assert resp.status_code == 400
    assert resp.json()["errors"][f"address.{field}"] == message
