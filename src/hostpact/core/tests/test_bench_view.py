"""The constant view that ``make bench`` measures the real pages against."""

import pytest


@pytest.mark.django_db
def test_bare_view_answers_a_constant_without_touching_the_database(
        client, django_assert_num_queries):
    """/bench/bare returns the same small JSON every time and runs no query, so it measures
    only the server and middleware that every page shares."""
    with django_assert_num_queries(0):
        first = client.get("/bench/bare")
        second = client.get("/bench/bare")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/json"
    assert first.json() == {"status": "ok", "view": "bare"}
    assert second.content == first.content
