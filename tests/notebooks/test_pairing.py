"""Each walkthrough's jupytext script (the source of truth) and its committed .ipynb agree."""

import glob
import json
import os

import jupytext
import pytest

NOTEBOOKS = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks")
SCRIPTS = sorted(glob.glob(os.path.join(NOTEBOOKS, "[0-9][0-9]_*.py")))


def _cells(notebook):
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_there_are_walkthroughs():
    assert SCRIPTS, "no notebooks/NN_name.py walkthroughs found"


@pytest.mark.parametrize("script", SCRIPTS, ids=os.path.basename)
def test_script_and_notebook_are_in_sync(script):
    ipynb = script[:-3] + ".ipynb"
    assert os.path.exists(ipynb), f"{ipynb} is missing: run `make sync-notebooks`"
    from_script = jupytext.read(script)
    committed = jupytext.read(ipynb)
    assert _cells(from_script) == _cells(committed), (
        f"{os.path.basename(ipynb)} is out of sync with its .py source: run `make sync-notebooks`"
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=os.path.basename)
def test_committed_notebook_has_no_outputs_and_a_parameters_cell(script):
    with open(script[:-3] + ".ipynb", encoding="utf-8") as f:
        notebook = json.load(f)
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(not cell.get("outputs") and not cell.get("execution_count") for cell in code)
    tagged = [cell for cell in code if "parameters" in cell.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and "GAN_PAPERS_PROFILE" in "".join(tagged[0]["source"])
