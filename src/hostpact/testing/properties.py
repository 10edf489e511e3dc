"""Hypothesis strategies that throw bad input at forms and endpoints.

They start from a valid body and break it one way at a time (wrong type, missing, too long,
invalid unicode, HTML/SQL-looking text, extra keys), so most examples reach deep validation
instead of failing on the first field.
"""

import copy

from hypothesis import strategies as st

NASTY_TEXT = st.sampled_from([
    "", " ", "<script>alert(1)</script>", "'; DROP TABLE accounts_user; --", "\x00", "\ud800",
    "𝕳𝖔𝖘𝖙", "a" * 5000, "1e309", "null", "-1", "９８７６５４３２１０", "\u202etxt.exe",
    "Robert'); --", "%s%s%s%n", "../../etc/passwd", "0" * 30,
])
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False) | st.text(max_size=300) | NASTY_TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)


def paths(body: dict, prefix=()) -> list[tuple]:
    out = []
    for key, value in body.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out.extend(paths(value, (*prefix, key)))
    return out


@st.composite
def broken(draw, valid: dict):
    """A copy of ``valid`` with a few fields replaced, dropped, or extra keys added."""
    body = copy.deepcopy(valid)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from(paths(body) or [("extra",)]))
        node = body
        for part in where[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        action = draw(st.sampled_from(["replace", "replace", "drop", "extra"]))
        if action == "replace":
            node[where[-1]] = draw(JSON_VALUE)
        elif action == "drop":
            node.pop(where[-1], None)
        else:
            node[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUE)
    return body
