"""Domain names are checked by the rules of the DNS and IDNA, and each refusal names its rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostpact.domains.names import NameRefused, parse_domain, parse_host


def refused(text: str) -> str:
    with pytest.raises(NameRefused) as info:
        parse_domain(text)
    return info.value.rule


def test_a_plain_name_is_lower_cased_and_kept_as_is():
    """A plain name is lower cased and kept as is."""
    name = parse_domain("Example-Shop.TEST.")
    assert (name.ascii, name.unicode, name.tld) == ("example-shop.test", "example-shop.test",
                                                    "test")


def test_an_idn_is_stored_as_its_a_label_and_shown_as_its_u_label():
    """UTS 46 maps the input (upper case, full-width dot) before IDNA 2008 encodes it."""
    name = parse_domain("Bücher\uff0eexample")
    assert name.ascii == "xn--bcher-kva.example"
    assert name.unicode == "bücher.example"
    assert name.is_idn
    assert parse_domain("xn--bcher-kva.test").unicode == "bücher.test"


@pytest.mark.parametrize("text,rule", [
    ("a" * 64 + ".test", "label_length"),
    ("shop..test", "label_length"),
    ("sh_op.test", "ldh"),
    ("shop!.test", "ldh"),
    ("-shop.test", "hyphen"),
    ("shop-.test", "hyphen"),
    ("ab--cd.test", "reserved_hyphens"),
    ("xn--zz.test", "reserved_hyphens"),
    ("shop.com", "tld"),
    ("shop.123", "tld"),
    ("test", "too_few_labels"),
    ("www.shop.test", "not_registrable"),
    ("", "empty"),
    ("\u0661\u0662a.test", "idna"),  # Arabic-Indic digits beside a Latin letter (bidi rule)
])
def test_each_refusal_names_its_rule(text, rule):
    """Each refusal names its rule."""
    assert refused(text) == rule


def test_a_name_over_253_octets_is_refused():
    """A name over 253 octets is refused."""
    long_host = ".".join(["a" * 63] * 4) + ".test"
    with pytest.raises(NameRefused) as info:
        parse_host(long_host)
    assert info.value.rule == "name_length"
    assert "253" in str(info.value)


def test_the_tlds_come_from_the_setting(settings):
    """The TLDs come from the setting."""
    settings.DOMAIN_TLDS = ["shop"]
    assert parse_domain("mine.shop").tld == "shop"
    assert refused("mine.test") == "tld"


# --- property tests: bad names are refused with a named rule, never another error ---------

BAD_CHARS = st.sampled_from(list("_!@#$%^&*()+=[]{};:'\"<>?/\\|`~ "))
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=20)


@given(label=LABEL, bad=BAD_CHARS, at=st.integers(min_value=0, max_value=20))
def test_a_label_with_a_character_outside_ldh_is_refused(label, bad, at):
    """A character outside letters, digits and hyphens inside a label is refused by a named
    rule (a space at either end of the whole name is trimmed, as from any form field)."""
    text = label[:at] + bad + label[at:]
    if bad == " " and (at == 0 or at >= len(label)):
        return
    rule = refused(f"{text}.test")
    assert rule in ("ldh", "label_length", "idna", "empty")


@given(label=LABEL, size=st.integers(min_value=64, max_value=300))
def test_an_over_long_label_is_refused(label, size):
    """An over long label is refused."""
    assert refused((label * size)[:size] + ".test") == "label_length"


@given(label=LABEL, side=st.sampled_from(["start", "end"]))
def test_a_hyphen_at_either_end_is_refused(label, side):
    """A hyphen at either end is refused."""
    text = f"-{label}" if side == "start" else f"{label}-"
    assert refused(f"{text}.example") == "hyphen"


@given(text=st.text(max_size=80))
def test_any_text_is_a_name_or_a_named_refusal(text):
    """Whatever the input, the parser answers a valid name or a ``NameRefused`` with a rule."""
    try:
        name = parse_domain(text)
    except NameRefused as exc:
        assert exc.rule and str(exc)
    else:
        assert name.ascii.isascii() and len(name.ascii) <= 253
        assert parse_domain(name.ascii) == name
