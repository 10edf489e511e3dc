"""The data map covers every field of every installed model, and ``hostpact datamap`` says so."""

import json

import pytest
from django.core.management import call_command

from hostpact.privacy import registry


def test_every_field_of_every_model_is_declared():
    """No model field anywhere (ours or a library's) is left out of the data map."""
    assert registry.undeclared() == []


def test_datamap_json_lists_declared_fields_and_exits_zero(capsys):
    """``hostpact datamap --format json`` prints one row per field and succeeds when complete."""
    call_command("datamap", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    name = next(r for r in rows if (r["model"], r["field"]) == ("Profile", "name"))
    assert name["personal"] is True
    assert name["category"] == "user.name"
    assert name["erasure"] == "crypto-shred"
    assert {"app", "model", "field", "subject", "purposes", "retention"} <= set(name)


def test_datamap_table_exits_zero(capsys):
    """The table form prints the personal categories."""
    call_command("datamap")
    assert "user.contact.email" in capsys.readouterr().out


def test_datamap_exits_one_naming_an_undeclared_field(monkeypatch, capsys):
    """Removing one declaration makes the command fail and name the field."""
    entry = registry.for_model(registry.entries()[0].model)
    fields = dict(entry.fields)
    dropped = next(iter(fields))
    fields.pop(dropped)
    monkeypatch.setattr(entry, "fields", fields)
    with pytest.raises(SystemExit) as exit_:
        call_command("datamap", "--format", "json")
    assert exit_.value.code == 1
    assert f"{entry.model._meta.label}.{dropped}" in capsys.readouterr().err


@pytest.mark.commitment("C17")
def test_an_aggregate_table_is_proprietary_and_may_not_carry_a_subject(capsys):
    """``declare_proprietary`` marks every field of a table of counts proprietary, and refuses
    a table related to a subject or an account: an aggregate is about no one."""
    from hostpact.accounts.models import Profile
    from hostpact.core.models import Subject

    with pytest.raises(ValueError, match="carries no subject"):
        registry.declare_proprietary(Profile, "not an aggregate")
    with pytest.raises(ValueError, match="carries no subject"):
        registry.declare_proprietary(Subject, "not an aggregate")
    call_command("datamap", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    proprietary = {(r["app"], r["model"]) for r in rows if r.get("proprietary")}
    assert ("audiences", "ProfileCount") in proprietary and ("advertising", "AdDay") in proprietary
    assert all(not r["personal"] for r in rows if r.get("proprietary"))
