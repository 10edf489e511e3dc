"""The house Markdown renderer: CommonMark to sanitised HTML, and to plain text for mail."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hostpact.core.markdown import render_html, render_text

ICON = '<svg class="external-icon" aria-hidden="true"'


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://hostpact.test"


def test_commonmark_blocks_and_inlines_render():
    """Headings, paragraphs, emphasis, code, lists (with their start), quotes, rules and
    tables render as CommonMark says."""
    html = render_html("# Title\n\nSome **bold**, *em* and `code`.\n\n- one\n- two\n\n"
                       "3. three\n4. four\n\n> quoted\n\n---\n\n```\nx < y\n```\n\n"
                       "| a | b |\n|---|--:|\n| 1 | 2 |\n")
    assert "<h1>Title</h1>" in html
    assert "<p>Some <strong>bold</strong>, <em>em</em> and <code>code</code>.</p>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>' in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html and "<hr>" in html
    assert "<pre><code>x &lt; y\n</code></pre>" in html
    assert '<th>a</th>' in html and '<td style="text-align:right">2</td>' in html


def test_heading_offset_moves_headings_down_but_not_below_h6():
    """``heading_offset`` turns # into h2 and keeps ###### at h6."""
    html = render_html("# One\n\n###### Six", heading_offset=1)
    assert "<h2>One</h2>" in html and "<h6>Six</h6>" in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="https://example.test/" onclick="alert(1)">x</a>',
    "<div style=\"position:fixed\">x</div>",
])
def test_raw_html_in_the_source_is_shown_as_text(source):
    """Raw HTML is never passed through: its tags arrive escaped, as visible text."""
    html = render_html(source)
    assert html.startswith("<p>&lt;") and html.count("<") == 2  # only <p> and </p>


@pytest.mark.parametrize("target", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x",
                                    "//evil.example/path", "file:///etc/passwd",
                                    "http://[bad/", "https://%zz/"])
def test_unsafe_link_targets_are_dropped_and_their_text_kept(target):
    """A link to anything but http(s), mailto or a site path loses its target, not its text."""
    html = render_html(f"Read [the text]({target}) now.")
    assert html == "<p>Read the text now.</p>\n"


def test_images_show_their_alt_text_only():
    """An image is not fetched from anywhere: its alt text stands in its place."""
    html = render_html("![A chart of sales](https://tracker.example/pixel.gif)")
    assert html == "<p>A chart of sales</p>\n"


def test_links_to_other_hosts_are_marked_like_the_external_tag():
    """A link to another host carries the {% external %} marking; this site's links, site
    paths, anchors and mailto links do not."""
    html = render_html("[ICANN](https://www.icann.org/ \"Rules\") [us](https://hostpact.test/x/) "
                       "[here](/policy/) [top](#top) [mail](mailto:help@hostpact.test)")
    assert ('<a href="https://www.icann.org/" rel="noopener noreferrer" class="external" '
            'title="Rules">ICANN<span class="visually-hidden"> (external site)</span>'
            + ICON) in html
    assert html.count('class="external"') == 1 and html.count("rel=") == 1
    assert '<a href="https://hostpact.test/x/">us</a>' in html
    assert '<a href="/policy/">here</a>' in html and '<a href="#top">top</a>' in html
    assert '<a href="mailto:help@hostpact.test">mail</a>' in html


def test_external_marking_can_be_left_out_for_mail():
    """``mark_external=False`` gives plain links: mail programs show neither icon nor hidden
    words."""
    html = render_html("[ICANN](https://www.icann.org/)", mark_external=False)
    assert html == '<p><a href="https://www.icann.org/">ICANN</a></p>\n'


def test_link_addresses_are_escaped():
    """An address with & or quotes is escaped inside the attribute."""
    html = render_html('[q](https://example.test/?a=1&b="2")')
    assert 'href="https://example.test/?a=1&amp;b=%222%22"' in html


def test_plain_text_keeps_structure_and_no_markdown_syntax():
    """Headings, paragraphs, bullets, numbers, quotes and code read as plain text, with no
    Markdown markers left."""
    text = render_text("# Welcome\n\nThis is **important** and *useful* with `code`.\n\n"
                       "- one\n- two\n  - nested\n\n2. second\n3. third\n\n> a quote\n\n"
                       "    indented code\n\nline  \nbreak")
    assert text == ("Welcome\n\nThis is important and useful with code.\n\n"
                    "- one\n- two\n  - nested\n\n2. second\n3. third\n\n> a quote\n\n"
                    "    indented code\n\nline\nbreak")
    assert not any(marker in text for marker in ("**", "#", "`", "]("))


def test_plain_text_links_read_text_then_address():
    """A link reads "text <url>"; site paths become absolute; an autolink shows its address
    once; mailto shows the address; an unsafe link keeps only its text."""
    text = render_text("[Policy](/policy/), [ICANN](https://www.icann.org/), "
                       "<https://example.test/a>, [write](mailto:help@hostpact.test), "
                       "[bad](javascript:alert(1)), ![logo](https://x.example/l.png)")
    assert text == ("Policy <https://hostpact.test/policy/>, ICANN <https://www.icann.org/>, "
                    "https://example.test/a, write <help@hostpact.test>, bad, logo")


def test_plain_text_of_loose_lists_and_tables():
    """Items of a loose list are separated by blank lines, continuation lines indented; table
    rows read cell by cell."""
    text = render_text("1. first\n\n   more of the first\n\n2. second\n\n"
                       "| Plan | Price |\n|---|---|\n| Basic | 100 |")
    assert text == ("1. first\n\n   more of the first\n\n2. second\n\n"
                    "Plan | Price\nBasic | 100")


def test_empty_text_renders_empty():
    """No text gives no HTML and no plain text."""
    assert render_html("") == "" and render_text("") == ""


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: set[tuple[str, str]] = set()

    def handle_starttag(self, tag, attrs):
        self.seen.add((tag, ""))
        self.seen.update((tag, name) for name, _ in attrs)


ALLOWED = {("h1", ""), ("h2", ""), ("h3", ""), ("h4", ""), ("h5", ""), ("h6", ""), ("p", ""),
           ("ul", ""), ("ol", ""), ("ol", "start"), ("li", ""), ("a", ""), ("a", "href"),
           ("a", "title"), ("a", "rel"), ("a", "class"), ("em", ""), ("strong", ""),
           ("code", ""), ("pre", ""), ("blockquote", ""), ("hr", ""), ("br", ""),
           ("table", ""), ("thead", ""), ("tbody", ""), ("tr", ""), ("th", ""), ("td", ""),
           ("th", "style"), ("td", "style"), ("span", ""), ("span", "class"), ("svg", ""),
           ("svg", "class"), ("svg", "aria-hidden"), ("svg", "focusable"), ("svg", "viewbox"),
           ("path", ""), ("path", "d")}
PIECES = st.sampled_from([*"#*_-+>[]()<>!`|:/\\ \n1.ajs\"'=&;", "https://", "javascript:",
                         "<script>", " onerror=", "\ud800", "\x00", "](", "//"])
MARKDOWNISH = st.lists(PIECES, max_size=40).map("".join)


@hypothesis_settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_any_text_renders_to_allowed_tags_and_safe_links_only(source):
    """Whatever the source, the HTML holds only allow-listed tags and attributes, every link
    leads to http(s), mailto or this site, and the plain text renders too."""
    html = render_html(source)
    parser = _Tags()
    parser.feed(html)
    assert parser.seen <= ALLOWED
    for href in re.findall(r'href="([^"]*)"', html):
        assert re.match(r"(https?://|mailto:|/|#|[^:]*$)", href, re.IGNORECASE), href
    assert isinstance(render_text(source), str)
