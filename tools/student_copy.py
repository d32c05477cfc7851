"""The student copy: the lessons for a class to take home, worked answers kept back (``make student``).

Writes ``build/student/`` (or the folder given): ``notebooks/`` with every lesson,
``assets/`` and a short ``README.md``. The lessons are the same notebooks, every
exercise cell as it is; only the setup cell of each lesson with exercises gains two
lines that set ``CONV2D_SOLUTIONS=withheld``, so ``exercises.show_solution(N)`` says
that the teacher has kept the worked answers back, and the feedback no longer offers
it. Each notebook's metadata records ``"conv2d_lib": {"copy": "student"}``.

What this does not do: the worked answers are still in the package the students
install (``conv2d_lib/exercises/*.py``), and in the project's repository; the
checkers, which must know the right answer, reveal it on the third different wrong
try, as in the lessons. A student who deletes the two lines, or reads the package,
sees them. The copy keeps the answer one click away from nobody; it is no exam.

Usage: ``python tools/student_copy.py [TARGET]`` (default ``build/student``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ASSETS = ROOT / "assets"
DEFAULT_TARGET = ROOT / "build" / "student"
# A file in the target that says this tool wrote it, so a rebuild never deletes a folder it did not make.
STAMP = ".conv2d-student-copy"

WITHHOLD = ('\n\n# Student copy: the worked answers are kept back (exercises.show_solution says so).\n'
            'import os\n'
            'os.environ["CONV2D_SOLUTIONS"] = "withheld"')

README = """# Conv2D from scratch: the lessons, student copy

Open `notebooks/00_start_here.ipynb` in JupyterLab (`jupyter lab notebooks/`) after
installing the package as your course says, for example
`pip install "conv2d_lib[lessons] @ git+<address of the repository>"`.

Every exercise checks your answer and gives a hint; in this copy
`exercises.show_solution(N)` does not show a worked answer: your teacher has kept
them back. Ask your teacher when you are stuck.
"""


def is_setup_cell(cell):
    return cell.cell_type == "code" and cell.source.lstrip().startswith("# Setup")


def student_notebook(notebook):
    """The student version of one lesson (a changed copy; ``notebook`` is left as it was).

    Parameters
    ----------
    notebook : nbformat.NotebookNode

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    ValueError
        When a lesson that imports exercise checkers has no setup cell ("# Setup ...").
    """
    copy = nbformat.from_dict(notebook)
    copy.metadata["conv2d_lib"] = {"copy": "student", "solutions": "withheld"}
    uses_exercises = any(c.cell_type == "code" and "conv2d_lib.exercises" in c.source for c in copy.cells)
    if not uses_exercises:
        return copy
    setup = next((c for c in copy.cells if is_setup_cell(c)), None)
    if setup is None or "conv2d_lib.exercises" not in setup.source:
        raise ValueError("a lesson with exercises must import them in its setup cell (a code cell that "
                         "starts with '# Setup'); found none")
    setup.source = setup.source.rstrip("\n") + WITHHOLD
    return copy


def build(target=DEFAULT_TARGET):
    """Write the student copy into ``target`` (replacing an earlier student copy there).

    Parameters
    ----------
    target : str or Path

    Returns
    -------
    list of Path
        The notebooks written.

    Raises
    ------
    FileExistsError
        When ``target`` exists, is not empty and was not written by this tool.
    """
    target = Path(target)
    if target.exists():
        if any(target.iterdir()) and not (target / STAMP).exists():
            raise FileExistsError(f"target: {target} exists and is not a student copy; give an empty or new folder")
        shutil.rmtree(target)
    (target / "notebooks").mkdir(parents=True)
    written = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        out = target / "notebooks" / path.name
        nbformat.write(student_notebook(notebook), out)
        written.append(out)
    if ASSETS.is_dir():
        shutil.copytree(ASSETS, target / "assets")
    (target / "README.md").write_text(README)
    (target / STAMP).write_text("written by tools/student_copy.py\n")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", default=str(DEFAULT_TARGET), help="folder to write (build/student)")
    args = parser.parse_args(argv)
    try:
        written = build(args.target)
    except (FileExistsError, ValueError) as error:
        parser.exit(1, f"student_copy.py: {error}\n")
    print(f"Student copy: {len(written)} lessons in {Path(args.target) / 'notebooks'} "
          "(worked answers kept back).")


if __name__ == "__main__":
    sys.exit(main())
