"""The outbox's own message builder writes mail the stdlib's strict parser reads back as sent."""

from email import policy
from email.parser import BytesParser

from hypothesis import given
from hypothesis import strategies as st

from hostpact.core import mime

STRICT = policy.default.clone(raise_on_defect=True)


def _parse(raw: bytes):
    return BytesParser(policy=STRICT).parsebytes(raw)


def test_non_ascii_header_text_becomes_encoded_words_and_reads_back():
    """A non-ASCII subject and display name are encoded (the header bytes stay ASCII) and
    decode to the original text."""
    raw = mime.build({"From": "Zoë Ops <ops@hostpact.test>", "To": "a@example.test",
                      "Subject": "Rénovation — été 2026 ✓"}, "body")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    parsed = _parse(raw)
    assert str(parsed["Subject"]) == "Rénovation — été 2026 ✓"
    assert parsed["From"].addresses[0].display_name == "Zoë Ops"
    assert parsed["Date"] and parsed["MIME-Version"] == "1.0"


def test_long_headers_are_folded_and_keep_their_value():
    """A long List-Unsubscribe header is folded at its whitespace (one URL a line) and
    unfolds to itself."""
    value = ("<https://hostpact.test/u/" + "t" * 60 + ">, <mailto:unsubscribe+" + "k" * 40
             + "@hostpact.test>")
    raw = mime.build({"From": "a@hostpact.test", "To": "b@example.test", "Subject": "s",
                      "List-Unsubscribe": value}, "body")
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    start = head.index("List-Unsubscribe:")
    folded = head[start:].split("\r\n")[:2]
    assert folded[0].endswith(">,") and folded[1].startswith(" <mailto:")
    assert str(_parse(raw)["List-Unsubscribe"]) == value


def test_given_date_or_content_type_headers_cannot_break_the_structure():
    """Structure headers given by a caller are ignored: the builder writes its own."""
    raw = mime.build({"From": "a@hostpact.test", "To": "b@example.test", "Subject": "s",
                      "Content-Type": "text/html", "Date": "yesterday"}, "body", "<p>x</p>")
    parsed = _parse(raw)
    assert parsed.get_content_type() == "multipart/alternative"
    assert len(parsed.get_all("Date")) == 1 and parsed["Date"] != "yesterday"


@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    ["\n", " ", "=", ".", "é", "\t"]), max_size=300))
def test_any_text_body_reads_back_unchanged(text):
    """Whatever the text (long lines, '=', dots, trailing spaces, non-ASCII), the text part
    decodes to it, line ends aside."""
    raw = mime.build({"From": "a@hostpact.test", "To": "b@example.test", "Subject": "s"}, text,
                     "<p>x</p>")
    assert all(len(line) <= 78 for line in raw.split(b"\r\n"))
    body = _parse(raw).get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body == "\n".join(text.splitlines()) + "\n"
