#!/usr/bin/env bash
# Run every lesson the way learners install the package: the built wheel with the lessons extra
# alone, in a fresh virtual environment (no editable install, no test extra), each notebook run
# top to bottom ("Run All") from a copy outside the source tree, so nothing is imported from it.
#
# Usage: tools/lessons_from_wheel.sh [PYTHON]     (PYTHON defaults to python3)
# Leaves the wheel in build/wheel/ and the environment in build/wheel-venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}

rm -rf build/wheel build/wheel-venv
# Built from a clean copy of the package: setuptools' build/lib in a work tree keeps files from
# earlier builds, which would hide a subpackage the configuration leaves out.
source=$(mktemp -d "${TMPDIR:-/tmp}/conv2d-source-XXXXXX")
lessons=$(mktemp -d "${TMPDIR:-/tmp}/conv2d-lessons-XXXXXX")
trap 'rm -rf "$source" "$lessons"' EXIT
cp -r pyproject.toml README.md conv2d_lib "$source/"
"$python" -m pip wheel --quiet --no-deps --wheel-dir build/wheel "$source"
wheel=$(ls build/wheel/conv2d_lib-*.whl)
"$python" -m venv build/wheel-venv
venv_python=$PWD/build/wheel-venv/bin/python
# nbval (with pytest under it) is the runner, not something a lesson uses.
"$venv_python" -m pip install --quiet "${wheel}[lessons]" "nbval>=0.11"

cp notebooks/*.ipynb "$lessons/"
printf '[pytest]\n' >"$lessons/pytest.ini"   # keep the project's pytest settings and conftest out
cd "$lessons"
"$venv_python" - <<'PY'
import conv2d_lib, sys
where = conv2d_lib.__file__
assert "site-packages" in where, f"conv2d_lib imported from {where}, not from the installed wheel"
print(f"conv2d_lib {conv2d_lib.__version__} from {where}")
PY
"$venv_python" -m pytest --nbval-lax -p no:cacheprovider -q ./*.ipynb

# SciPy is in the lessons extra, but an environment without it (a hub image, a hand-made venv)
# must still get through lesson 09, told what the comparison would need.
"$venv_python" -m pip uninstall --quiet --yes scipy
without_scipy=$("$venv_python" -m jupyter nbconvert --to notebook --execute --stdout 09_playground.ipynb 2>/dev/null)
grep -q "install scipy to compare with SciPy" <<<"$without_scipy" \
    || { echo "09_playground.ipynb without SciPy did not say what it needs" >&2; exit 1; }
echo "09_playground.ipynb runs to the end without SciPy and says what it would need"
