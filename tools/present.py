"""Presenter mode: the lessons in Voila, code hidden, sized for a projector (``make present``).

Run from ``notebooks/`` (``make present`` does): Voila serves that folder's tree, and
each lesson opens as a page of text, sliders and figures, with every code cell
hidden and larger text and controls (the ``conv2d-present`` template in
``tools/present_template/``, Voila's lab template plus a style sheet). It prints
the address to open: port 8866, or a free one if 8866 is taken.

The browser suite starts it from :func:`command` and :func:`environment`, so the test
runs what ``make present`` runs.

Usage: ``python ../tools/present.py [--port N]`` from ``notebooks/``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

DEFAULT_PORT = 8866
TEMPLATE = "conv2d-present"
# A Jupyter data folder holding voila/templates/conv2d-present; put first on JUPYTER_PATH.
TEMPLATE_ROOT = Path(__file__).resolve().parent / "present_template"
# An uploaded picture reaches the kernel in one websocket message: accept 64 MiB, as `make lab` does.
TORNADO_SETTINGS = {"websocket_max_message_size": 64 * 2**20}


def command(port, python=sys.executable, ip="localhost"):
    """The Voila command line of presenter mode, serving the current folder's tree.

    Parameters
    ----------
    port : int
        The port to listen on (Voila does not move to another one when it is taken).
    python : str
        The Python that has Voila installed.
    ip : str
        The address to listen on; the default serves this machine only.

    Returns
    -------
    list of str

    Raises
    ------
    TypeError
        When ``port`` is not an int.
    ValueError
        When ``port`` is not in 1-65535.
    """
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"port must be an int, got {port!r}")
    if not 1 <= port <= 65535:
        raise ValueError(f"port must be in 1-65535, got {port}")
    return [
        python, "-m", "voila", "--no-browser",
        f"--port={port}", "--Voila.port_retries=0", f"--Voila.ip={ip}",
        f"--template={TEMPLATE}", "--theme=light",
        "--strip_sources=True",   # no code cell on the page, only what the cells show
        "--VoilaConfiguration.allow_template_override=NO",
        f"--Voila.tornado_settings={json.dumps(TORNADO_SETTINGS)}",
    ]


def environment(base=None):
    """``base`` (default: this process's environment) with the presenter template on JUPYTER_PATH.

    Parameters
    ----------
    base : dict of str to str, optional

    Returns
    -------
    dict of str to str

    Raises
    ------
    Nothing
    """
    env = dict(os.environ if base is None else base)
    others = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(TEMPLATE_ROOT)]
    env["JUPYTER_PATH"] = os.pathsep.join([str(TEMPLATE_ROOT), *others])
    return env


def _free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(wanted=DEFAULT_PORT):
    """``wanted`` when it is free on this machine, else a free port the system gives."""
    if wanted and _free(wanted):
        return wanted
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to serve on (default {DEFAULT_PORT}; a free one if it is taken)")
    args = parser.parse_args(argv)
    if not any(Path.cwd().glob("*.ipynb")):
        parser.error(f"run it from the notebooks/ folder (no .ipynb in {Path.cwd()})")
    port = pick_port(args.port)
    if port != args.port:
        print(f"Port {args.port} is taken; using {port}.")
    print(f"Presenter mode: open http://localhost:{port}/ and pick a lesson (Ctrl+C stops the server).",
          flush=True)
    os.execve(sys.executable, command(port), environment())


if __name__ == "__main__":
    main()
