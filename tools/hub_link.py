"""Print the nbgitpuller link that gives every student of a JupyterHub their own copy of the lessons.

A student who opens the link is logged in to the hub, gets this repository (branch
``main``) pulled into their home directory, in a folder named after the repository, and
lands on ``notebooks/00_start_here.ipynb`` in JupyterLab. Opening it again later pulls
what changed without overwriting the student's own edits (nbgitpuller's automatic merging).
The hub needs nbgitpuller and the packages in environment.yml (see docs/teaching.md).

    python tools/hub_link.py https://hub.example.org
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from navigation import BRANCH, START, project_urls  # noqa: E402


def hub_link(hub_url, urls=None):
    """The nbgitpuller link for ``hub_url``, in the format of nbgitpuller's link generator.

    Parameters
    ----------
    hub_url : str
        The hub's address, ``https://hub.example.org`` or with a path, ``https://example.org/jupyter/``.
    urls : dict of str to str, optional
        ``[project.urls]`` of pyproject.toml (read from it by default).

    Returns
    -------
    str
        ``<hub>/hub/user-redirect/git-pull?repo=<Repository>&urlpath=lab/tree/<name>/notebooks/00_start_here.ipynb&branch=main``,
        with the values URL-encoded.

    Raises
    ------
    ValueError
        When ``hub_url`` is not an http or https address, or carries a query or a fragment.
    """
    if not isinstance(hub_url, str):
        raise TypeError(f"hub_url: expected the hub's address as a str, got {type(hub_url).__name__}")
    parts = urlsplit(hub_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub_url: expected an address like https://hub.example.org, got {hub_url!r}")
    urls = project_urls() if urls is None else urls
    repository = urls["Repository"]
    folder = repository.rstrip("/").rsplit("/", 1)[1].removesuffix(".git")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    query = urlencode({"repo": repository, "urlpath": f"lab/tree/{folder}/notebooks/{START}", "branch": BRANCH})
    return f"{parts.scheme}://{parts.netloc}{path}hub/user-redirect/git-pull?{query}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hub_url", metavar="HUB_URL", help="the hub's address, e.g. https://hub.example.org")
    args = parser.parse_args(argv)
    try:
        print(hub_link(args.hub_url))
    except ValueError as error:
        parser.error(str(error))
    return 0


if __name__ == "__main__":
    sys.exit(main())
