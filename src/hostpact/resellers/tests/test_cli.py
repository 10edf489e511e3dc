"""``hostpact reseller create`` and ``hostpact reseller key``."""

import pytest
from django.core.management import CommandError, call_command

from hostpact.resellers.models import ApiKey, Reseller
from hostpact.resellers.services.keys import secret_hash
from hostpact.resellers.tests.helpers import make_reseller

pytestmark = pytest.mark.django_db


def test_create_makes_an_approved_reseller(capsys):
    """create prints the id; the reseller is approved with its host."""
    call_command("reseller", "create", "--name", "Cli Hosting", "--host", "cli.example",
                 "--country", "DE")
    reseller = Reseller.objects.get(name="Cli Hosting")
    assert f"reseller {reseller.pk}" in capsys.readouterr().out
    assert reseller.state == "approved" and reseller.country == "DE"
    assert reseller.hosts.get().host == "cli.example"


@pytest.mark.parametrize(("args", "flag"), [
    (["--host", "not a host", "--country", "IN"], "--host"),
    (["--host", "ok.example", "--country", "ZZ"], "--country"),
])
def test_create_refuses_bad_arguments_naming_them(args, flag):
    """A bad host or country is a clear error naming the flag; nothing is created."""
    with pytest.raises(CommandError, match=flag):
        call_command("reseller", "create", "--name", "Bad Hosting", *args)
    assert not Reseller.objects.filter(name="Bad Hosting").exists()


def test_key_prints_the_secret_once(capsys):
    """key prints a secret whose hash is the stored one, with the scopes and range given."""
    reseller = make_reseller(name="Key Hosting")
    call_command("reseller", "key", "--reseller", "Key Hosting", "--scopes",
                 "customers:read,removals", "--ip", "203.0.113.0/24", "--days", "30")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    key = ApiKey.objects.get(reseller=reseller)
    assert key.secret_hash == secret_hash(secret)
    assert key.scopes == ["customers:read", "removals"]
    assert key.ip_ranges == ["203.0.113.0/24"]


@pytest.mark.parametrize(("args", "flag"), [
    (["--reseller", "Nobody", "--scopes", "removals"], "--reseller"),
    (["--reseller", "Key Hosting", "--scopes", "removals,admin"], "--scopes"),
    (["--reseller", "Key Hosting", "--scopes", "removals", "--ip", "nope"], "--ip"),
    (["--reseller", "Key Hosting", "--scopes", "removals", "--days", "0"], "--days"),
])
def test_key_refuses_bad_arguments_naming_them(args, flag):
    """An unknown reseller, scope, range or lifetime is refused; no key is made."""
    make_reseller(name="Key Hosting")
    with pytest.raises(CommandError, match=flag):
        call_command("reseller", "key", *args)
    assert not ApiKey.objects.exists()
