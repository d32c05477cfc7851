"""Time every explorer's refresh (compute + draw + PNG), as a slider move costs in a notebook.

    python bench/bench_explorers.py [--moves 15]

For each ``explore_*`` function in ``conv2d_lib.widgets`` on its default image,
the first slider is moved back and forth and every refresh is timed; the table
gives the minimum, median and worst in milliseconds. The browser adds the
widget round trip on top (tests/browser measures that).
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import statistics

import ipywidgets as widgets
import matplotlib

matplotlib.use("Agg")

import conv2d_lib.widgets  # noqa: E402


def explorers():
    for info in pkgutil.iter_modules(conv2d_lib.widgets.__path__):
        module = importlib.import_module(f"conv2d_lib.widgets.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("explore_") and function.__module__ == module.__name__:
                yield name, function


def first_slider(explorer):
    for name, control in explorer.controls.items():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider)):
            return name, control
    return None, None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=15)
    args = parser.parse_args(argv)
    print("| explorer | slider | min ms | median ms | worst ms |\n|---|---|---|---|---|")
    for name, factory in sorted(explorers()):
        explorer = factory()
        slider_name, slider = first_slider(explorer)
        if slider is None:
            print(f"| {name} | (no slider) | | | |")
            continue
        start, step = slider.value, slider.step
        explorer.timings_ms.clear()
        for move in range(args.moves):
            target = start + step if move % 2 == 0 else start
            if target > slider.max:
                target = start - step if move % 2 == 0 else start
            slider.value = target
        times = explorer.timings_ms
        print(f"| {name} | {slider_name} | {min(times):.0f} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
