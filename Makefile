# Two commands matter: `make lab` opens the lessons, `make test` runs every test.
# Both create .venv on first use, so a fresh machine needs only Python 3.10+ and make.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Each stamp records that an extra is installed; it is redone when pyproject.toml changes.
LESSONS_STAMP := $(VENV)/.lessons-installed
TEST_STAMP    := $(VENV)/.test-installed
SITE_STAMP    := $(VENV)/.site-installed
LITE_STAMP    := $(VENV)/.lite-installed

.PHONY: lab test test-lessons test-browser check-generated bench clean present student site lite
CHROMIUM ?= /usr/bin/chromium

# Started in notebooks/, as the pip and conda commands in the README start it, so what works
# here works there; --allow-root only where it is needed (containers and hubs that run as root).
# An uploaded picture reaches the kernel in one websocket message: accept up to 64 MiB (the
# server's default is 10 MiB), so a file over the upload button's limit is answered in words.
LAB_TORNADO := '{"websocket_max_message_size": 67108864}'
lab: $(LESSONS_STAMP)
	cd notebooks && ../$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.tornado_settings=$(LAB_TORNADO) 00_start_here.ipynb

test: $(TEST_STAMP) check-generated
	$(PY) -m pytest tests conv2d_lib --ignore=tests/browser
	$(MAKE) --no-print-directory test-lessons
	$(MAKE) --no-print-directory site lite
	@if [ -x "$(CHROMIUM)" ] || [ "$$CONV2D_REQUIRE_BROWSER" = 1 ]; then \
		$(MAKE) --no-print-directory test-browser; \
	else \
		echo "SKIPPED the browser tests: no Chromium at $(CHROMIUM) (apt-get install chromium, then make test-browser)"; \
	fi

# Every notebook run top to bottom from the built wheel with the lessons extra alone, in a fresh
# virtual environment: the package as Colab, a JupyterHub or `pip install git+...` gets it.
test-lessons:
	bash tools/lessons_from_wheel.sh $(PYTHON)

# Every lesson in JupyterLab and in Voila, driven by Playwright in Debian's Chromium.
test-browser: $(TEST_STAMP)
	$(PY) -m pytest tests/browser -v -s

# Notebooks are committed without outputs, and generated cells and files are current.
check-generated: $(TEST_STAMP)
	$(VENV)/bin/nbstripout --verify notebooks/*.ipynb
	$(PY) tools/navigation.py --check
	$(PY) tools/make_pictures.py --check

# Classroom routes without an install. `make site`: every lesson run once and rendered as a
# static web page in build/site/ (index.html is the contents), then checked: pages, one picture
# per explorer, no errors, links. `make lite`: build/lite/, JupyterLite with every lesson and
# conv2d_lib's wheel in its piplite index; built offline, Pyodide is loaded by the page from
# its CDN unless PYODIDE_DIR names a local Pyodide distribution to put in the site.
site: $(SITE_STAMP)
	$(PY) tools/build_site.py
	CONV2D_SITE_DIR=build/site $(PY) -m pytest tests/test_site.py -q -p no:cacheprovider

PYODIDE_DIR ?=
lite: $(LITE_STAMP)
	PYODIDE_DIR="$(PYODIDE_DIR)" bash tools/build_lite.sh
	CONV2D_LITE_DIR=build/lite PYODIDE_DIR="$(PYODIDE_DIR)" $(PY) -m pytest tests/test_lite.py -q -p no:cacheprovider

$(SITE_STAMP): pyproject.toml $(TEST_STAMP)
	$(PY) -m pip install -e ".[site]"
	touch $@

$(LITE_STAMP): pyproject.toml $(TEST_STAMP)
	$(PY) -m pip install -e ".[lite]"
	touch $@

# Timings as a user's machine would see them: without the OpenBLAS overrides some machines here set,
# each contender in a process of its own. Options go in BENCH_ARGS, for example
# make bench BENCH_ARGS="--markdown --torch-python /path/to/torch-env/bin/python"
bench: $(TEST_STAMP)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) bench/bench_conv2d.py $(BENCH_ARGS)
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) bench/bench_beyond.py
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) bench/bench_backward.py

# --- Classroom: presenter mode and the student copy ------------------------------------------
# Presenter mode: Voila serves notebooks/ (its tree of lessons) with code hidden and larger text and
# controls for a projector; tools/present.py holds the command (the browser suite runs the same one)
# and prints the address. Voila comes with the browser extra.
PRESENT_STAMP := $(VENV)/.present-installed
present: $(PRESENT_STAMP)
	cd notebooks && ../$(PY) ../tools/present.py

$(PRESENT_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e ".[lessons,browser]"
	touch $@ $(LESSONS_STAMP)

# The lessons to take home, with the reference solutions kept back: build/student/.
student: $(LESSONS_STAMP)
	$(PY) tools/student_copy.py build/student
# --- end of the classroom block ---------------------------------------------------------------

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(LESSONS_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e ".[lessons]"
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -e ".[test]"
	touch $@ $(LESSONS_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info
