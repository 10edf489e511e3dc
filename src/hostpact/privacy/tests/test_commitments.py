"""``hostpact commitments`` lists C01–C41 and finds proving tests by reading their sources."""

import json

from django.core.management import call_command

from hostpact.privacy.commitments import marked_tests

SOURCE = '''
import pytest

pytestmark = [pytest.mark.commitment("C07")]

@pytest.mark.commitment("C01")
@pytest.mark.commitment("C02", "C03")
def test_one():
    assert True

def test_plain():
    """Mentions pytest.mark.commitment("C09") only in text."""

@pytest.mark.commitment("C04")
class TestGroup:
    def test_inner(self):
        pass

def helper():
    pass
'''


def test_commitments_json_lists_all_41_with_text(capsys):
    """The JSON form has C01–C41 in order, each with its section, text and a test list."""
    call_command("commitments", "--format", "json")
    items = json.loads(capsys.readouterr().out)["commitments"]
    assert [c["id"] for c in items] == [f"C{i:02d}" for i in range(1, 42)]
    assert all(c["text"] and c["section"] and isinstance(c["tests"], list) for c in items)


def test_commitments_finds_marked_tests_in_the_tree(capsys):
    """A test marked in the repository shows up as ``path::test_name`` under its ID."""
    call_command("commitments", "--format", "json")
    items = {c["id"]: c["tests"] for c in json.loads(capsys.readouterr().out)["commitments"]}
    assert any(t.startswith("src/hostpact/") and "::test_" in t for t in items["C02"])


def test_markers_are_read_from_functions_classes_and_module():
    """Function, stacked, multi-ID, class and module markers count; a docstring does not."""
    found = set(marked_tests(SOURCE, "t/test_x.py"))
    assert found == {
        ("C07", "t/test_x.py::test_one"), ("C01", "t/test_x.py::test_one"),
        ("C02", "t/test_x.py::test_one"), ("C03", "t/test_x.py::test_one"),
        ("C07", "t/test_x.py::test_plain"),
        ("C07", "t/test_x.py::TestGroup::test_inner"),
        ("C04", "t/test_x.py::TestGroup::test_inner"),
    }


def test_commitments_table_names_those_without_tests(capsys):
    """The table ends with how many commitments are proved and which are not."""
    call_command("commitments")
    assert "commitments have a proving test" in capsys.readouterr().out
