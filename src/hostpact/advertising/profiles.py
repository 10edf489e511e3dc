"""The audiences app as this app reads it: vocabularies and each subscriber's attributes.

One narrow door, read lazily (the audiences app is built beside this one), so the rest of the
app and its tests depend on three functions only: ``vocabularies``, ``attributes_of`` and
``all_attributes`` (tests replace the last two with their own crowd).
"""

from collections.abc import Iterator

# The vocabulary of the interface (issue 13), used only while hostpact.audiences.questions
# cannot be imported: the values must stay those of the form.
_FALLBACK = {
    "age_bands": ("under-18", "18-24", "25-34", "35-44", "45-54", "55-64", "65-plus"),
    "genders": ("female", "male", "another"),
    "org_types": ("individual", "business", "nonprofit", "education", "government"),
    "products": ("shared_hosting", "vps", "dedicated", "ssl", "email"),
}


def _values(choices) -> tuple[str, ...]:
    return tuple(v for v, _label in choices if v)


def vocabularies() -> dict[str, tuple[str, ...]]:
    """Return the accepted values of each audience key but ``countries`` (ISO codes)."""
    try:
        from hostpact.audiences import questions
    except ImportError:
        return dict(_FALLBACK)
    return {"age_bands": _values(questions.AGE_BANDS), "genders": _values(questions.GENDERS),
            "org_types": _values(questions.ORG_TYPES),
            "products": _values(questions.PRODUCT_KINDS)}


def attributes_of(subject_id):
    """Return one subscriber's ``Attributes`` (``hostpact.audiences.queries``)."""
    from hostpact.audiences import queries

    return queries.attributes_of(subject_id)


def all_attributes(chunk: int = 2000) -> Iterator:
    """Yield the ``Attributes`` of every active non-staff subscriber."""
    from hostpact.audiences import queries

    return queries.all_attributes(chunk=chunk)
