"""Explorer for notebooks/11_learning_a_kernel.ipynb: gradient descent finds a hidden kernel, live.

The run is an asyncio task on the kernel's own event loop, not a thread: it takes a
batch of steps, redraws at most ``DRAWS_PER_SECOND`` times a second, and gives the loop
back (``await asyncio.sleep(0)``) between batches, so the kernel keeps answering the
widgets (the pause button) while it trains. That works the same in JupyterLab, Voila
and JupyterLite, whose Pyodide kernel has no threads.
"""

from __future__ import annotations

import asyncio
import html
import sys
import time

import ipywidgets as widgets
import numpy as np

from .. import images, kernels
from .._checks import check_array, check_choice, describe
from ..conv import conv2d
from ..learn import GROWTH_LIMIT, KernelFit
from ..plot.learning import LearningFigure
from ._base import Explorer, check_setting

PHOTO_SIZE = 64  # the centre 64 x 64 of the cat: a step takes about a third of a millisecond
PREVIEW_STEPS = 25  # taken at once by every new setting, so its picture shows where the run is heading
BATCH_SECONDS = 0.02  # steps between two looks at the event loop: the pause button waits at most this long
DRAWS_PER_SECOND = 10
CONVERGED = 1e-9  # a run stops by itself once its loss is this fraction of its first one
MAX_STEPS = 50_000
MOMENTUM = 0.9
YOUR_KERNEL = "your kernel"
HIDDEN_CHOICES = ("sobel_x", "sobel_y", "box_blur", "laplacian", "sharpen")
RATE_EXPONENTS = (-3.0, 0.5, 0.05)  # the slider: 10**-3 to 10**0.5 (about 3.2), in steps of 10**0.05


def learning_photo():
    """The lesson's photo: the centre ``PHOTO_SIZE x PHOTO_SIZE`` of the grey cat, in [0, 1].

    Returns
    -------
    ndarray, shape (PHOTO_SIZE, PHOTO_SIZE), float64
    """
    return np.ascontiguousarray(images.centre_crop(images.sample("cat", gray=True), PHOTO_SIZE))


class LearningRun:
    """The state of the live run behind the explorer: the fit, the run task, the steps per second.

    Parameters
    ----------
    photo : ndarray, shape (H, W)
    kernels_by_name : dict of str to ndarray, shape (kH, kW)
        The hidden kernels the menu offers.

    Attributes
    ----------
    fit : KernelFit or None
        The current run (made by :meth:`settle`).
    rate : float or None
        Steps per second of the last live run, draws included.
    task : asyncio.Task or None
        The live run, while it runs.
    """

    def __init__(self, photo, kernels_by_name):
        self.photo, self.kernels = photo, kernels_by_name
        self.fit, self.settings, self.rate, self.task = None, None, None, None
        self.note = ""  # words about the run button (no event loop, a finished run)

    def settle(self, hidden, learning_rate, momentum):
        """Start again from the random weights when a setting changed; True when it did."""
        settings = (hidden, learning_rate, momentum)
        if settings == self.settings:
            return False
        self.fit = KernelFit(self.photo, self.kernels[hidden], learning_rate=learning_rate,
                             momentum=MOMENTUM if momentum else 0.0)
        self.fit.step(PREVIEW_STEPS)
        self.settings, self.rate, self.note = settings, None, ""
        return True

    def restart(self):
        """Back to the random start and its first steps, with the same settings."""
        self.fit.reset()
        self.fit.step(PREVIEW_STEPS)
        self.rate, self.note = None, ""

    def finished(self):
        """Why the run cannot go on (diverged, converged, out of steps), or None."""
        fit = self.fit
        if fit.diverged:
            return "it diverged"
        if fit.losses[-1] <= CONVERGED * fit.losses[0]:
            return f"the loss is below {CONVERGED:g} of its first value"
        if fit.steps >= MAX_STEPS:
            return f"it has taken {MAX_STEPS:,} steps"
        return None


def explore_learning(hidden="sobel_x", learning_rate=0.5, momentum=True, designed=None):
    """Gradient descent learning a hidden kernel from a photo, live: run, pause, reset.

    The target is the photo convolved with the hidden kernel. Every new setting starts
    again from the same random weights and takes its first ``PREVIEW_STEPS`` steps at
    once; **run** goes on from there, live, until **pause**, until the loss is tiny, or
    until it diverges (said in words on the plot, and the run stops).

    Parameters
    ----------
    hidden : str, default "sobel_x"
        The hidden kernel shown first: one of ``HIDDEN_CHOICES``, or ``"your kernel"``
        when ``designed`` is given.
    learning_rate : float, default 0.5
        From 0.001 to about 3.2 (the slider's range, log scale).
    momentum : bool, default True
        Gradient descent with momentum 0.9 (True) or plain (False).
    designed : ndarray, shape (kH, kW), optional
        A kernel of your own, at most 7 x 7, offered as "your kernel".

    Returns
    -------
    Explorer
        Controls ``hidden``, ``learning_rate``, ``momentum``; the run/pause toggle and the
        reset button beside them (``explorer.run_button``, ``explorer.reset_button``), and
        the run's state as ``explorer.run`` (a :class:`LearningRun`).

    Raises
    ------
    TypeError, ValueError
        When ``designed`` is not a finite 2-D array that fits the photo, or ``hidden`` is
        not one of the offered kernels.
    """
    photo = learning_photo()
    offered = {name: kernels.get(name) for name in HIDDEN_CHOICES}
    if designed is not None:
        designed = check_array(designed, "designed", (2,), "(kH, kW)").astype(np.float64)
        if max(designed.shape) > 7 or not np.all(np.isfinite(designed)):
            raise ValueError(f"designed must be a kernel of finite numbers, at most 7 x 7, got "
                             f"{describe(designed)}")
        offered[YOUR_KERNEL] = designed
    check_choice(hidden, "hidden", tuple(offered))
    low, high, step = RATE_EXPONENTS
    rate_control = widgets.FloatLogSlider(value=10 ** low, base=10, min=low, max=high, step=step,
                                          description="learning rate", readout_format=".3g",
                                          continuous_update=False)
    controls = {
        "hidden": widgets.Dropdown(options=list(offered), value=hidden, description="hidden kernel"),
        "learning_rate": rate_control,
        "momentum": widgets.Checkbox(value=bool(momentum), description=f"momentum {MOMENTUM}"),
    }
    rate_control.value = check_setting("learning_rate", rate_control, learning_rate)
    figure = LearningFigure()
    run = LearningRun(photo, offered)
    scene = {"hidden": None}

    def update(hidden, learning_rate, momentum):
        run.settle(hidden, learning_rate, momentum)
        fit = run.fit
        if scene["hidden"] != hidden:
            figure.set_scene(photo, fit.hidden, fit.target, GROWTH_LIMIT * fit.losses[0])
            scene["hidden"] = hidden
        figure.show(fit.losses, fit.weights, conv2d(photo, fit.weights), fit.verdict, fit.diverged)
        return _message(run)

    run_button = widgets.ToggleButton(value=False, description="run", icon="play",
                                      tooltip="run gradient descent live; press again to pause")
    reset_button = widgets.Button(description="reset", icon="undo",
                                  tooltip="start again from the same random weights")
    explorer = Explorer(update, controls, figure.fig, extra=[run_button, reset_button])
    explorer.run, explorer.run_button, explorer.reset_button = run, run_button, reset_button

    def on_toggle(change):
        run_button.description, run_button.icon = ("pause", "pause") if change["new"] else ("run", "play")
        if change["new"] and run.task is None:
            _start(explorer)

    def on_reset(_):
        run.restart()
        explorer.refresh()

    run_button.observe(on_toggle, names="value")
    reset_button.on_click(on_reset)
    return explorer


def _event_loop():
    """The event loop the kernel runs (ipykernel's, or the browser's in Pyodide), or None."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        if sys.platform == "emscripten":  # Pyodide: the browser's loop, always there
            return asyncio.get_event_loop()
        return None


def _start(explorer):
    """Start the live run as a task on the kernel's event loop (or say why it cannot)."""
    run = explorer.run
    why = run.finished()
    loop = _event_loop()
    if why or loop is None:
        run.note = (f"This run cannot go on: {why}. Change a setting or press reset to start again."
                    if why else "No event loop is running here (outside a notebook): call "
                    "explorer.run.fit.step(n) to take n steps, then explorer.refresh().")
        explorer.run_button.value = False
        explorer.refresh()
        return
    run.note = ""
    run.task = loop.create_task(_live(explorer))


async def _live(explorer):
    """Steps in batches, a redraw at most DRAWS_PER_SECOND times a second, the loop given back in between."""
    run, button = explorer.run, explorer.run_button
    started, steps_before = time.perf_counter(), None
    last_draw, drawing = 0.0, 0.0
    try:
        while button.value:
            fit = run.fit
            if steps_before is None or fit.steps < steps_before:  # a new setting or a reset restarted the fit
                started, steps_before = time.perf_counter(), fit.steps
            why = run.finished()
            if why:
                run.note = f"The run stopped by itself: {why}."
                break
            until = time.perf_counter() + BATCH_SECONDS
            while time.perf_counter() < until and not run.finished():
                fit.step(5)
            now = time.perf_counter()
            if now - started > 0.2:
                run.rate = (fit.steps - steps_before) / (now - started)
            # At most DRAWS_PER_SECOND redraws a second, and never more time drawing than stepping.
            if now - last_draw >= max(1.0 / DRAWS_PER_SECOND, drawing):
                explorer._refresh_in_words()
                last_draw = time.perf_counter()
                drawing = last_draw - now
            await asyncio.sleep(0)  # the kernel handles the widgets' messages (the pause button) here
    finally:
        run.task = None
        if button.value:
            button.value = False
        explorer._refresh_in_words()


def _message(run):
    """The line above the picture: the run in words, and its speed."""
    fit = run.fit
    if fit.diverged:
        text = f'<b style="color:#b35806">{html.escape(fit.verdict)}.</b>'
    else:
        text = html.escape(fit.verdict) + "."
    if run.rate is not None:
        text += f" <b>{run.rate:,.0f} steps per second</b>, drawn up to {DRAWS_PER_SECOND} times a second."
    if run.note:
        text += f" {html.escape(run.note)}"
    elif run.task is not None:
        text += " <i>running</i>: press <b>pause</b> to stop, <b>reset</b> to start again."
    elif not fit.diverged:
        text += " <i>paused</i>: press <b>run</b> to go on, <b>reset</b> to start again."
    return text
