"""No layer names a layer above it in a string, where import-linter cannot see it.

``lint-imports`` checks the import statements against the contracts in ``pyproject.toml``; a
model looked up by its label (``apps.get_model("accounts", "User")``, ``"billing.Invoice"``) or
a module named in a string (``"hostpact.billing.catalogue"``) is an import all the same.
"""

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2]
FEATURE = ("accounts", "billing", "panel")
# layer -> app labels and packages it may not name
ABOVE = {
    "core": (*FEATURE, "privacy", "rights", "disclosures", "policy", "requests",
             "subject_requests"),
    "privacy": FEATURE,
    "accounts": ("billing", "panel"),
}


def _modules(layer: str):
    for path in (SRC / layer).rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts) or path.name == "datamap.py":
            continue
        yield path


@pytest.mark.parametrize("layer", sorted(ABOVE))
def test_no_string_names_a_model_or_module_of_a_layer_above(layer):
    """Neither a model label nor a dotted module path of a higher layer appears in a string."""
    names = "|".join(ABOVE[layer])
    label = re.compile(rf"""["'](?:{names})\.[A-Z]\w*["']""")
    module = re.compile(rf"""["']hostpact\.(?:privacy\.)?(?:{names})\b""")
    get_model = re.compile(rf"""get_model\(\s*["'](?:{names})\b""")
    found = [f"{path.relative_to(SRC)}:{n}: {line.strip()}"
             for path in _modules(layer)
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if label.search(line) or module.search(line) or get_model.search(line)]
    assert found == []
