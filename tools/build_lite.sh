#!/usr/bin/env bash
# Build the lessons as a JupyterLite site in build/lite/: JupyterLab running in the browser, with
# Python from Pyodide (jupyterlite-pyodide-kernel), every lesson under files/, and conv2d_lib's
# wheel, built from the source as tools/lessons_from_wheel.sh builds it, in the site's piplite
# index, so that `await piplite.install("conv2d_lib")` in a lesson installs it.
#
# Usage: tools/build_lite.sh          (run by `make lite`, with the lite extra installed in .venv)
#   PYODIDE_DIR=/path/to/pyodide      a local Pyodide distribution (the folder a release unpacks to,
#                                     with pyodide.mjs, or its .tar.bz2) copied into the site, so the
#                                     page loads Python from the site itself; without it the page
#                                     loads Pyodide from its public CDN when a lesson is opened.
#   PYTHON=...                        the Python with jupyterlite-core (default .venv/bin/python)
#
# The build itself needs no network: jupyterlite-core carries the application, the kernel's
# extension and its wheels come from the installed jupyterlite-pyodide-kernel, and nothing is
# fetched unless PYODIDE_DIR is a URL.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
out=build/lite

rm -rf "$out" build/lite-wheel
work=$(mktemp -d "${TMPDIR:-/tmp}/conv2d-lite-XXXXXX")
trap 'rm -rf "$work"' EXIT
# Built from a clean copy of the package: setuptools' build/lib in a work tree keeps old files.
mkdir "$work/source"
cp -r pyproject.toml README.md conv2d_lib "$work/source/"
find "$work/source" -name __pycache__ -prune -exec rm -rf {} +
"$python" -m pip wheel --quiet --no-deps --wheel-dir build/lite-wheel "$work/source"
wheel=$(ls build/lite-wheel/conv2d_lib-*.whl)

# The lessons alone are the site's files: a copy, so nothing else in notebooks/ is published.
mkdir -p "$work/lite/files"
cp notebooks/[0-9][0-9]_*.ipynb "$work/lite/files/"

pyodide=()
if [ -n "${PYODIDE_DIR:-}" ]; then
    case "$PYODIDE_DIR" in
        http://*|https://*) ;;
        *.tar.bz2) [ -f "$PYODIDE_DIR" ] || { echo "PYODIDE_DIR=$PYODIDE_DIR: no such file" >&2; exit 1; } ;;
        *)
            [ -f "$PYODIDE_DIR/pyodide.mjs" ] && [ -f "$PYODIDE_DIR/pyodide-lock.json" ] || {
                echo "PYODIDE_DIR=$PYODIDE_DIR is not a Pyodide distribution (no pyodide.mjs and pyodide-lock.json)" >&2
                exit 1; }
            # A folder goes where jupyter lite looks for a local Pyodide: static/pyodide in the lite dir.
            mkdir -p "$work/lite/static"
            cp -r "$PYODIDE_DIR" "$work/lite/static/pyodide" ;;
    esac
    case "$PYODIDE_DIR" in *.tar.bz2|http://*|https://*) pyodide=(--pyodide "$PYODIDE_DIR") ;; esac
fi

# The front-end extensions the lessons need, and no others from this environment (Voila's
# preview button, say, has no server to talk to in the browser): the Pyodide kernel and the
# widget manager, from wherever Jupyter finds them.
extensions=()
for name in @jupyterlite/pyodide-kernel-extension @jupyter-widgets/jupyterlab-manager; do
    where=$("$python" - "$name" <<'PY'
import sys
from pathlib import Path
from jupyter_core.paths import jupyter_path
found = [Path(d) / sys.argv[1] for d in jupyter_path("labextensions") if (Path(d) / sys.argv[1] / "package.json").is_file()]
print(found[0] if found else "")
PY
)
    [ -n "$where" ] || { echo "the JupyterLab extension $name is not installed (make lite installs the lite extra)" >&2; exit 1; }
    extensions+=("--LiteBuildConfig.federated_extensions=$where")
done

started=$SECONDS
(cd "$work/lite" && "$OLDPWD/$python" -m jupyter lite build \
    --lite-dir . --contents files --output-dir "$OLDPWD/$out" \
    --ignore-sys-prefix "${extensions[@]}" \
    --piplite-wheels "$OLDPWD/$wheel" ${pyodide[@]+"${pyodide[@]}"} --no-sourcemaps)
echo "lite: $(ls "$out"/files/*.ipynb | wc -l) lessons and $(basename "$wheel") in $out in $((SECONDS - started)) s"
echo "serve it with: python -m http.server -d $out 8000, then open http://127.0.0.1:8000/lab/index.html"
