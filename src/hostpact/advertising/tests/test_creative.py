"""A creative is a real PNG, JPEG, GIF or WebP image of at most 150 KB and 1200×1200 pixels,
with an http(s) link carrying no credentials; anything else is refused naming the field."""

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hostpact.advertising import images, services
from hostpact.advertising.models import Creative
from hostpact.advertising.tests.helpers import png


def _upload(campaign, data, url="https://ads.example/", name="ad.png"):
    return services.upload_creative(campaign, SimpleUploadedFile(name, data), "An offer", url,
                                    actor="staff:test")


@pytest.mark.commitment("C24")
@pytest.mark.parametrize("data", [
    b"<script>alert(1)</script>",
    b"%PDF-1.7 not an image",
    b"\x89PNG\r\n\x1a\n",  # a PNG signature with no header
    b"",
])
def test_a_creative_that_is_not_an_image_is_refused(make_campaign, data):
    """A file named ad.png that is not an image is refused and nothing is stored."""
    campaign = make_campaign()
    with pytest.raises(services.CampaignRefused) as caught:
        _upload(campaign, data)
    assert caught.value.field == "image"
    assert not Creative.objects.exists()


@pytest.mark.commitment("C24")
def test_a_creative_too_large_in_bytes_or_pixels_is_refused(make_campaign):
    """Over 150 KB, or wider than 1200 pixels: refused with the limit named."""
    campaign = make_campaign()
    with pytest.raises(services.CampaignRefused, match="150 KB"):
        _upload(campaign, png(extra=150 * 1024))
    with pytest.raises(services.CampaignRefused, match="1200"):
        _upload(campaign, png(1201, 100))
    assert not Creative.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://ads.example/",
                                 "https://user:pw@ads.example/", "https://", "not a url"])
def test_a_link_that_is_not_a_plain_web_address_is_refused(make_campaign, url):
    """Only http(s) links with a host and no credentials are taken."""
    with pytest.raises(services.CampaignRefused) as caught:
        _upload(make_campaign(), png(), url=url)
    assert caught.value.field == "target_url"


def test_the_type_and_size_are_read_from_the_bytes_of_each_format():
    """PNG, GIF, JPEG and WebP headers give their type and size; the file name is ignored."""
    gif = b"GIF89a" + struct.pack("<HH", 320, 50) + b"\0" * 10
    jpeg = (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 90, 728) + b"\0" * 12)
    vp8x = b"RIFF" + struct.pack("<I", 30) + b"WEBPVP8X" + struct.pack("<I", 10) + b"\0" * 4 \
        + (299).to_bytes(3, "little") + (249).to_bytes(3, "little")
    got = [images.inspect(d) for d in (png(728, 90), gif, jpeg, vp8x)]
    assert [(i.content_type, i.width, i.height) for i in got] == [
        ("image/png", 728, 90), ("image/gif", 320, 50), ("image/jpeg", 728, 90),
        ("image/webp", 300, 250)]


def test_a_good_creative_is_stored_with_its_checked_type(make_campaign):
    """The stored creative keeps the bytes, the type read from them and the URL as given."""
    creative = _upload(make_campaign(), png(300, 250), url="https://ads.example/x?a=1",
                       name="banner.gif")
    assert (creative.content_type, creative.extension, creative.width) == ("image/png", "png",
                                                                            300)
    assert creative.target_url == "https://ads.example/x?a=1"
