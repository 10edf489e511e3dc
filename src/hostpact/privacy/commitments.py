"""The commitments of the policy and the tests that prove them, read without running a test.

``spec/commitments.md`` lists C01–C41; a test proves one by carrying
``@pytest.mark.commitment("Cnn")`` (on the function, its class, or the module's
``pytestmark``). The test sources are parsed with ``ast``, so ``hostpact commitments`` is quick,
needs no database and cannot be fooled by a comment that merely mentions an ID.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

SPEC = Path(__file__).resolve().parent / "spec" / "commitments.md"
_ROW = re.compile(r"^\|\s*(C\d{2})\s*\|\s*([^|]*?)\s*\|\s*(.*?)\s*\|\s*$")


@dataclass
class Commitment:
    id: str
    section: str
    text: str
    tests: list[str] = field(default_factory=list)


def read_spec(path: Path = SPEC) -> list[Commitment]:
    """The commitments in the order of the spec's table."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line)
        if m:
            out.append(Commitment(*m.groups()))
    return out


def _marked_ids(node) -> list[str]:
    """IDs in ``pytest.mark.commitment("C01", ...)`` calls found in ``node``."""
    ids = []
    for call in ast.walk(node):
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "commitment"):
            ids += [a.value for a in call.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return ids


def _decorated(node) -> list[str]:
    return [i for d in node.decorator_list for i in _marked_ids(d)]


def marked_tests(source: str, name: str) -> list[tuple[str, str]]:
    """(commitment id, ``name::test``) for every marked test in one test file's source."""
    tree = ast.parse(source, filename=name)
    module_ids = [i for stmt in tree.body if isinstance(stmt, ast.Assign)
                  and any(getattr(t, "id", "") == "pytestmark" for t in stmt.targets)
                  for i in _marked_ids(stmt.value)]
    found = []

    def visit(body, prefix, inherited):
        for node in body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                visit(node.body, f"{prefix}{node.name}::", inherited + _decorated(node))
            elif (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.name.startswith("test")):
                for cid in dict.fromkeys(inherited + _decorated(node)):
                    found.append((cid, f"{name}::{prefix}{node.name}"))

    visit(tree.body, "", module_ids)
    return found


def find_test_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("test_*.py")
                  if ".venv" not in p.parts and "node_modules" not in p.parts)


def collect(root: Path, spec: Path = SPEC, dirs=("src", "tests")) -> list[Commitment]:
    """Every commitment with the tests (``path::test``, path relative to ``root``) proving it."""
    commitments = read_spec(spec)
    by_id = {c.id: c for c in commitments}
    for d in dirs:
        if not (root / d).is_dir():
            continue
        for path in find_test_files(root / d):
            rel = path.relative_to(root).as_posix()
            for cid, test in marked_tests(path.read_text(encoding="utf-8"), rel):
                if cid in by_id:
                    by_id[cid].tests.append(test)
    return commitments
