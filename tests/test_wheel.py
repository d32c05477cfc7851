"""The wheel that pip builds (Colab, a JupyterHub, `pip install git+...`) holds the whole package.

Only an editable install reads the source tree; everyone else gets what the wheel holds, so a
subpackage or data file left out of it breaks every lesson's setup cell for them.
"""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "conv2d_lib"


def source_files():
    """Every file the package needs at run time: modules and bundled data, as wheel paths."""
    wanted = set()
    for path in PACKAGE.rglob("*"):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        if path.suffix in (".py", ".npz"):
            wanted.add(path.relative_to(ROOT).as_posix())
    return wanted


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    # Built from a clean copy: setuptools' build/lib in a work tree keeps files from earlier
    # builds, which would hide a package left out of the configuration.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "conv2d_lib", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: setuptools is in this environment already, and the build stays offline.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(out), str(source)], check=True, capture_output=True)
    (path,) = out.glob("conv2d_lib-*.whl")
    return path


def test_source_tree_has_subpackages_and_data():
    files = source_files()
    for needed in ("conv2d_lib/widgets/__init__.py", "conv2d_lib/plot/__init__.py",
                   "conv2d_lib/exercises/__init__.py", "conv2d_lib/data/cat.npz"):
        assert needed in files


def test_wheel_holds_every_module_and_data_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        held = set(archive.namelist())
    missing = sorted(source_files() - held)
    assert not missing, f"{wheel.name} lacks {missing}"


def test_wheel_holds_no_tests_or_tools(wheel):
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert tops <= {"conv2d_lib", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}, tops
