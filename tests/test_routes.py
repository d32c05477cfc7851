"""The classroom routes: one repository address, Colab and Binder badges, the generated setup cell,
what Binder builds, the nbgitpuller link, and the teacher's guide kept current."""

import asyncio
import importlib
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest

from tools import hub_link, navigation
from tools.navigation import run_cell

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
REPOSITORY = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]
OWNER_NAME = REPOSITORY.removeprefix("https://github.com/")
REAL_CONV2D_LIB = importlib.import_module("conv2d_lib")


def test_pyproject_names_the_repository_and_the_teachers_guide():
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", urls["Repository"])
    assert urls["Documentation"] == f"{urls['Repository']}/blob/main/docs/teaching.md"
    assert (ROOT / "docs" / "teaching.md").exists()


def test_every_address_follows_pyproject(tmp_path, monkeypatch):
    """A fork changes one line: with another Repository every generated link names it."""
    fork = {"Repository": "https://github.com/someone/their-fork", "Documentation": "x"}
    block = navigation.setup_block(fork)
    assert '"conv2d_lib @ git+https://github.com/someone/their-fork",' in block
    assert navigation.colab_url(fork, "03_padding.ipynb") == \
        "https://colab.research.google.com/github/someone/their-fork/blob/main/notebooks/03_padding.ipynb"
    assert navigation.binder_url(fork) == \
        "https://mybinder.org/v2/gh/someone/their-fork/main?urlpath=lab/tree/notebooks/00_start_here.ipynb"
    assert "repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Ftheir-fork" in hub_link.hub_link("https://hub.example.org",
                                                                                       fork)
    for where in ("README.md", "docs/teaching.md", "tools/hub_link.py", "tools/navigation.py"):
        text = (ROOT / where).read_text()
        outside = re.sub(r"<!-- (\w[\w ]*): start -->.*?<!-- \1: end -->", "", text, flags=re.S)
        assert OWNER_NAME not in outside, f"{where} writes the repository's address by hand"


def test_a_repository_that_is_not_on_github_is_refused(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[project.urls]\nRepository = "git@host:x"\n')
    monkeypatch.setattr(navigation, "ROOT", tmp_path)
    with pytest.raises(SystemExit, match="Repository: expected https://github.com/OWNER/NAME, got 'git@host:x'"):
        navigation.project_urls()


# --------------------------------------------------------------------------- badges

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_lesson_opens_with_its_colab_badge(path):
    cells = nbformat.read(path, as_version=4).cells
    colab = (f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
             f"(https://colab.research.google.com/github/{OWNER_NAME}/blob/main/notebooks/{path.name})")
    assert navigation.MARK in cells[0].source and colab in cells[0].source
    binder = (f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]"
              f"(https://mybinder.org/v2/gh/{OWNER_NAME}/main?urlpath=lab/tree/notebooks/00_start_here.ipynb)")
    assert (binder in cells[0].source) == (path.name == "00_start_here.ipynb")
    guide = f"[Teacher's guide]({REPOSITORY}/blob/main/docs/teaching.md)"
    assert (guide in cells[0].source) == (path.name == "00_start_here.ipynb")
    assert "colab" not in cells[-1].source, "the bottom bar has the links only"


def test_readme_and_guide_have_the_binder_badge_and_the_install_line():
    install = f'pip install "conv2d_lib[lessons] @ git+{REPOSITORY}"'
    for where in ("README.md", "docs/teaching.md"):
        text = (ROOT / where).read_text()
        assert f"(https://mybinder.org/v2/gh/{OWNER_NAME}/main?urlpath=lab/tree/notebooks/00_start_here.ipynb)" in text
        assert install in text
    assert "<address of this repository>" not in (ROOT / "README.md").read_text()


def test_navigation_check_finds_a_stale_badge_and_a_stale_setup_cell(tmp_path, monkeypatch, capsys):
    """--check fails on a lesson whose badge or install block is out of date, and a rewrite fixes it."""
    copy = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", copy)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "teaching.md", tmp_path / "docs" / "teaching.md")
    monkeypatch.setattr(navigation, "ROOT", tmp_path)
    monkeypatch.setattr(navigation, "NOTEBOOKS", copy)
    assert navigation.main(["--check"]) == 0
    lesson = copy / "03_padding.ipynb"
    notebook = nbformat.read(lesson, as_version=4)
    notebook.cells[0].source = notebook.cells[0].source.replace("03_padding", "02_kernels")
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    setup.source = setup.source.replace('"--quiet",', '"--quiet", "--upgrade",')
    nbformat.write(notebook, lesson)
    capsys.readouterr()
    assert navigation.main(["--check"]) == 1
    assert "out of date: notebooks/03_padding.ipynb" in capsys.readouterr().out
    assert navigation.main([]) == 0 and navigation.main(["--check"]) == 0
    fixed = nbformat.read(lesson, as_version=4)
    assert [c.source for c in fixed.cells] == [c.source for c in nbformat.read(ROOT / "notebooks" / lesson.name,
                                                                                as_version=4).cells]


# --------------------------------------------------------------------------- the setup cell

def setup_cell(path):
    return next(cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code").source


def generated_block(source):
    start = source.index(navigation.SETUP_START)
    end = source.index(navigation.SETUP_END) + len(navigation.SETUP_END)
    return source[start:end] + "\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_setup_cell_starts_with_the_generated_block_and_keeps_its_imports(path):
    source = setup_cell(path)
    first, rest = source.split("\n", 1)
    assert first.startswith("# Setup (not part of the lesson)")
    assert rest.startswith(navigation.SETUP_START), "the generated block comes right after the first line"
    assert generated_block(source) == navigation.setup_block(navigation.project_urls())
    after = source.split(navigation.SETUP_END, 1)[1]
    assert re.search(r"^import numpy as np$", after, re.M), "the lesson's own imports stay below the block"
    assert after.count("try:") == 0, "the hand-written try/except is gone"


def test_hand_written_setup_cell_is_replaced_and_a_lesson_without_one_gets_one():
    urls = navigation.project_urls()
    hand = ('# Setup (not part of the lesson): imports.\ntry:\n    import conv2d_lib\nexcept ImportError as error:\n'
            '    raise ImportError("conv2d_lib is not installed: run `make lab` "\n'
            '                      "then restart.") from error\nimport numpy as np\n')
    fresh = navigation.with_setup(hand, urls)
    assert fresh == f"# Setup (not part of the lesson): imports.\n{navigation.setup_block(urls)}import numpy as np\n"
    assert navigation.with_setup(fresh, urls) == fresh, "rewriting is idempotent"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A new lesson"),
                                               nbformat.v4.new_code_cell("import numpy as np")])
    cells = navigation.with_navigation(notebook, 0, [(Path("10_new.ipynb"), "A new lesson")], urls)
    assert [c.cell_type for c in cells] == ["markdown", "markdown", "code", "code", "markdown"]
    assert cells[2].source.startswith("# Setup (not part of the lesson)") and navigation.SETUP_START in cells[2].source
    assert cells[3].source == "import numpy as np"


BLOCK = navigation.setup_block(navigation.project_urls())


def run_block(monkeypatch, ran):
    """Run the generated block in a fresh namespace with pip and piplite stubbed, recording what they were asked."""
    def fake_run(command, check=False, **kwargs):
        ran.append(("pip", command, check))
        monkeypatch.setitem(sys.modules, "conv2d_lib", REAL_CONV2D_LIB)  # as if pip had installed it
        return subprocess.CompletedProcess(command, 0)
    monkeypatch.setattr(subprocess, "run", fake_run)
    namespace = {"__name__": "__main__"}
    run_cell(BLOCK, namespace)
    return namespace


def test_setup_block_with_the_package_installed_installs_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    ran = []
    namespace = run_block(monkeypatch, ran)
    assert ran == [] and namespace["conv2d_lib"] is REAL_CONV2D_LIB


def test_setup_block_without_the_package_and_not_on_colab_says_how_to_install_it(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setitem(sys.modules, "conv2d_lib", None)  # `import conv2d_lib` now raises ImportError
    ran = []
    with pytest.raises(ImportError) as raised:
        run_block(monkeypatch, ran)
    assert ran == []
    assert str(raised.value) == ('conv2d_lib is not installed: run `make lab` (or `pip install -e ".[lessons]"`) '
                                 'in the project folder, then restart the kernel.')
    assert isinstance(raised.value.__cause__, ImportError)


def test_setup_block_on_colab_pip_installs_from_the_repository(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    monkeypatch.setitem(sys.modules, "conv2d_lib", None)
    ran = []
    namespace = run_block(monkeypatch, ran)
    assert ran == [("pip", [sys.executable, "-m", "pip", "install", "--quiet",
                            f"conv2d_lib @ git+{REPOSITORY}", "ipywidgets>=8"], True)]
    assert namespace["conv2d_lib"] is REAL_CONV2D_LIB


def test_setup_block_in_jupyterlite_installs_the_sites_wheel_with_piplite(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setitem(sys.modules, "conv2d_lib", None)
    monkeypatch.setattr(sys, "platform", "emscripten")
    asked = []
    piplite = types.ModuleType("piplite")

    async def install(requirements):
        await asyncio.sleep(0)  # a real coroutine, awaited by the cell
        asked.append(requirements)
        monkeypatch.setitem(sys.modules, "conv2d_lib", REAL_CONV2D_LIB)
    piplite.install = install
    monkeypatch.setitem(sys.modules, "piplite", piplite)
    ran = []
    namespace = run_block(monkeypatch, ran)
    assert asked == [["conv2d_lib", "matplotlib", "pillow", "scipy", "scikit-learn", "tqdm", "ipywidgets>=8"]]
    assert ran == [] and namespace["conv2d_lib"] is REAL_CONV2D_LIB


def test_ipython_runs_the_setup_cell_with_its_await_in_a_branch_not_taken(tmp_path):
    """ipykernel and JupyterLite's Pyodide kernel both run cells through IPython's InteractiveShell:
    a cell with an await in a branch is run as a coroutine, and its other lines as usual."""
    script = ("import sys\nfrom IPython.core.interactiveshell import InteractiveShell\n"
              "shell = InteractiveShell.instance()\ncell = open(sys.argv[1]).read()\n"
              "assert shell.should_run_async(cell, transformed_cell=shell.transform_cell(cell))\n"
              "result = shell.run_cell(cell)\nresult.raise_error()\n"
              "print(shell.user_ns['conv2d_lib'].__name__, shell.user_ns['exercises'].__name__)\n")
    cell = setup_cell(ROOT / "notebooks" / "03_padding.ipynb")
    source = tmp_path / "setup_cell.py"
    source.write_text(cell)
    done = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["conv2d_lib", "conv2d_lib.exercises.padding"]


# --------------------------------------------------------------------------- Binder

def test_binder_builds_environment_yml_with_the_package_and_the_badge_opens_the_lessons():
    """repo2docker (what Binder runs) prints its Dockerfile without Docker: the repository is copied in,
    then environment.yml is installed, whose pip block installs the package from it."""
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent)) or shutil.which("repo2docker")
    if repo2docker is None:
        pytest.skip("repo2docker is not installed (pip install jupyter-repo2docker, part of the test extra)")
    done = subprocess.run([repo2docker, "--no-build", "--debug", "."], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    dockerfile = done.stdout + done.stderr
    copy = re.search(r"^COPY --chown=\S+ src/ \$\{REPO_DIR\}/$", dockerfile, re.M)
    install = re.search(r"env update -p \$\{NB_PYTHON_PREFIX\} --file \"environment.yml\"", dockerfile)
    assert copy and install, dockerfile
    assert copy.start() < install.start(), "environment.yml's `-e .` needs the repository copied in first"
    environment = (ROOT / "environment.yml").read_text()
    assert re.search(r"^  - pip:\n(?:      - .*\n)*      - -e \.$", environment, re.M)  # -e . in the pip block
    assert not (ROOT / "postBuild").exists() and not (ROOT / "start").exists(), \
        "the Binder badge's urlpath opens the lessons; nothing else starts them"
    urlpath = parse_qs(urlsplit(navigation.binder_url(navigation.project_urls())).query)["urlpath"][0]
    assert urlpath == "lab/tree/notebooks/00_start_here.ipynb" and (ROOT / urlpath.removeprefix("lab/tree/")).exists()


# --------------------------------------------------------------------------- JupyterHub

@pytest.mark.parametrize("hub", ["https://hub.example.org", "https://hub.example.org/", "https://example.org/jupyter"])
def test_hub_link_is_nbgitpullers_documented_format(hub):
    """nbgitpuller's link generator: <hub>/hub/user-redirect/git-pull?repo=...&urlpath=...&branch=...;
    urlpath includes the folder the repository is cloned into, named after it."""
    link = hub_link.hub_link(hub)
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == hub.rstrip("/") + "/hub/user-redirect/git-pull"
    query = parse_qs(parts.query, strict_parsing=True)
    name = REPOSITORY.rsplit("/", 1)[1]
    assert query == {"repo": [REPOSITORY], "branch": ["main"],
                     "urlpath": [f"lab/tree/{name}/notebooks/00_start_here.ipynb"]}
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


def test_hub_link_command_prints_the_link_and_refuses_an_address_without_a_scheme():
    done = subprocess.run([sys.executable, "tools/hub_link.py", "https://hub.example.org"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == hub_link.hub_link("https://hub.example.org")
    bad = subprocess.run([sys.executable, "tools/hub_link.py", "hub.example.org"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "expected an address like https://hub.example.org, got 'hub.example.org'" in bad.stderr
    with pytest.raises(TypeError, match="hub_url: expected the hub's address as a str, got int"):
        hub_link.hub_link(8000)


# --------------------------------------------------------------------------- the teacher's guide

def test_guide_names_every_route():
    text = (ROOT / "docs" / "teaching.md").read_text()
    for command in ("make lab", "conda env create -f environment.yml", "git+", "Binder", "Colab", "nbgitpuller",
                    "python tools/hub_link.py", "make lite", "make present", "make site", "make student",
                    "repo2docker"):
        assert command in text, command
    anchors = {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
               for heading in re.findall(r"^#+ (.+)$", text, re.M)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in anchors, f"docs/teaching.md links to #{anchor}, which no heading makes"
    for link in re.findall(r"\]\((\.\./[^)#\s]+)\)", text):
        assert (ROOT / "docs" / link).resolve().exists(), f"docs/teaching.md links to missing {link}"


def test_guide_tables_come_from_the_lessons_and_the_checkers():
    """Every exercise appears with its checker's own summary; every lesson with its goals."""
    text = (ROOT / "docs" / "teaching.md").read_text()
    from conv2d_lib.exercises import LESSONS
    for name in LESSONS:
        module = importlib.import_module(f"conv2d_lib.exercises.{name}")
        number = module.SOLUTIONS.notebook[:2]
        for solution in module.SOLUTIONS:
            summary = " ".join(solution.checker.__doc__.strip().split("\n\n")[0].split()).replace("``", "`")
            summary = re.sub(r":\w+:`([^`]+)`", r"`\1`", summary)
            row = f"| {number} | {solution.number} | `{solution.name}` | {summary} |"
            assert row in text, row
    for path in NOTEBOOKS:
        assert f"](../notebooks/{path.name})" in text
    assert "the difference between cross-correlation and true **convolution**" in text  # from lesson 02
    homework = re.findall(r"^\| (\d\d) \| (\d) \| `(\w+)` \|.*\| homework \|$", text, re.M)
    assert ("02", "2", "corr2d") in homework and ("09", "3", "corner_inputs") in homework
    assert ("03", "2", "same_padding") not in homework
