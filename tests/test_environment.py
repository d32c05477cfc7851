"""environment.yml (conda, Binder) lists the same packages as pyproject.toml (pip)."""

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def names(requirements):
    return {NAME.match(r).group(1).lower() for r in requirements if not r.startswith("conv2d_lib")}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = names(project["dependencies"] + extras["lessons"] + extras["test"] + extras["browser"]) - {"tomli"}
    listed = set()
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("dependencies:", 1)[1].splitlines():
        # conda entries, and the pip: block's packages (not its "-e ." line)
        match = re.match(r"^  - ([A-Za-z0-9_.\-]+)", line) or re.match(r"^      - ([A-Za-z][A-Za-z0-9_.\-]*)", line)
        if match and match.group(1) not in ("python", "pip"):
            listed.add(match.group(1).lower())
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject: {wanted - listed}"
