"""Time every explorer's refresh (compute + draw + PNG), as a slider move costs in a notebook.

    python bench/bench_explorers.py [--moves 15] [--compare-full-draw]

For each ``explore_*`` function in ``conv2d_lib.widgets`` on its default image,
the first slider is moved back and forth and every refresh is timed; the table
gives the minimum, median and worst in milliseconds. The browser adds the
widget round trip on top (tests/browser measures that). ``--compare-full-draw``
times the same moves with a full draw of every figure too (what render_png
saves by keeping the frame), in alternating rounds.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import statistics
from unittest import mock

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")

import conv2d_lib.widgets  # noqa: E402
from conv2d_lib.plot._render import render_full_png  # noqa: E402
from conv2d_lib.widgets import _base as explorer_base  # noqa: E402


def explorers():
    for info in pkgutil.iter_modules(conv2d_lib.widgets.__path__):
        module = importlib.import_module(f"conv2d_lib.widgets.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("explore_") and function.__module__ == module.__name__:
                yield name, function


def first_slider(explorer):
    for name, control in explorer.controls.items():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider)):
            return name, control
    return None, None


def time_moves(explorer, slider, moves):
    """Move the slider back and forth ``moves`` times; the refresh times in ms."""
    start, step = slider.value, slider.step
    explorer.timings_ms.clear()
    for move in range(moves):
        target = start + step if move % 2 == 0 else start
        if target > slider.max:
            target = start - step if move % 2 == 0 else start
        slider.value = target
    slider.value = start
    return list(explorer.timings_ms)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    parser.add_argument("--compare-full-draw", action="store_true",
                        help="also time every refresh with a full draw of the figure (no kept frame), "
                             "in alternating rounds, and print the ratio")
    args = parser.parse_args(argv)
    full_draw = {"render_png": render_full_png}
    if args.compare_full_draw:
        print("| explorer | slider | kept frame median ms | full draw median ms | ratio |\n|---|---|---|---|---|")
    else:
        print("| explorer | slider | min ms | median ms | worst ms |\n|---|---|---|---|---|")
    for name, factory in sorted(explorers()):
        explorer = factory()
        slider_name, slider = first_slider(explorer)
        if slider is None:
            print(f"| {name} | (no slider) | | | |")
            continue
        if not args.compare_full_draw:
            times = time_moves(explorer, slider, args.moves)
            print(f"| {name} | {slider_name} | {min(times):.0f} | {statistics.median(times):.0f} | {max(times):.0f} |")
            continue
        kept, full = [], []
        for _ in range(3):  # alternate, so a slow spell of the machine hits both
            kept += time_moves(explorer, slider, args.moves // 3 or 1)
            with mock.patch.multiple(explorer_base, **full_draw):
                full += time_moves(explorer, slider, args.moves // 3 or 1)
        a, b = statistics.median(kept), statistics.median(full)
        print(f"| {name} | {slider_name} | {a:.0f} | {b:.0f} | {a / b:.2f}x |")


if __name__ == "__main__":
    main()
