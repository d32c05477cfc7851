"""Explorers for notebooks/12_tiny_cnn.ipynb: feature maps of a digit, a digit you draw, live training.

The network is the one :func:`conv2d_lib.nn.digits.train` makes. Give the explorers the lesson's
``history`` (what ``train`` returns); without one they train the lesson's network once (a few
seconds) and keep it for the next explorer.
"""

from __future__ import annotations

import asyncio
import functools
import html
import time

import ipywidgets as widgets
import numpy as np

from ..nn.data import load_digits
from ..nn.digits import SETTINGS, make_network, predict, train, training_steps
from ..plot import render_png
from ..plot.tiny_cnn import INK_MAX, DigitFigure, TrainingFigure
from ._base import Explorer

__all__ = ["explore_feature_maps", "explore_drawing", "explore_training", "TrainingCurves", "REDRAW_SECONDS"]

EPOCHS = SETTINGS["epochs"]  # the lesson's
BATCH_SIZE = SETTINGS["batch_size"]
REDRAW_SECONDS = 0.15  # live pictures are redrawn at most about 7 times a second
CELL_PX = 34  # the side of one cell of the drawing grid


@functools.lru_cache(maxsize=1)
def _batches_per_epoch():
    """Batches in one epoch of the lesson's training split (the digits are read once)."""
    return -(-len(load_digits(0).y_train) // BATCH_SIZE)


@functools.lru_cache(maxsize=2)
def _lesson_history(seed=0):
    """The lesson's network, trained once per kernel (for explorers opened without a ``history``)."""
    return train(seed=seed)


def _history(history):
    if history is None:
        return _lesson_history()
    if not isinstance(history, dict) or "model" not in history or "data" not in history:
        raise TypeError("history must be what conv2d_lib.nn.digits.train returns (a dict with 'model' and "
                        f"'data'), got {type(history).__name__}")
    return history


def first_layer_maps(model, pictures):
    """The first convolution's output (before ReLU) for ``pictures`` (N, 8, 8, 1): shape (N, 8, 8, C_out)."""
    return model.layers[0](np.asarray(pictures, np.float32))


def _test_choices(data):
    """One test picture of each digit, the first of its class: ``[("a 0 (test picture 12)", 12), ...]``."""
    return [(f"a {digit} (test picture {int(np.flatnonzero(data.y_test == digit)[0])})",
             int(np.flatnonzero(data.y_test == digit)[0])) for digit in range(10)]


def _map_limit(model, data):
    """A colour limit that holds every first-layer map of every test digit (rounded up)."""
    largest = float(np.abs(first_layer_maps(model, data.x_test)).max())
    return float(np.ceil(largest * 2) / 2)


def explore_feature_maps(history=None):
    """Pick a test digit: see it, the 16 learned first-layer kernels and the feature map each makes of it.

    Parameters
    ----------
    history : dict, optional
        What :func:`conv2d_lib.nn.digits.train` returned (the lesson's trained network);
        by default the lesson's network is trained once here.

    Returns
    -------
    Explorer
        Control ``digit``.

    Raises
    ------
    TypeError
        When ``history`` is not what ``train`` returns.
    """
    history = _history(history)
    model, data = history["model"], history["data"]
    choices = _test_choices(data)
    figure = DigitFigure(model.layers[0].weights, _map_limit(model, data))
    controls = {"digit": widgets.Dropdown(options=choices, value=choices[0][1], description="test digit")}

    def update(digit):
        picture = data.x_test[digit:digit + 1]
        maps = first_layer_maps(model, picture)[0]
        answer = int(predict(model, picture)[0].argmax())
        figure.show(picture[0, :, :, 0] * INK_MAX, maps, f"test picture {digit}: a {data.y_test[digit]}")
        strongest = int(np.abs(maps).reshape(-1, maps.shape[-1]).max(axis=0).argmax())
        return (f"The network answers <b>{answer}</b> for this {data.y_test[digit]}. Each map is "
                f"<code>conv2d</code> of the digit with the kernel above it, plus its bias: red where the "
                f"kernel's pattern is there, blue where its opposite is. Strongest here: map {strongest + 1}.")

    return Explorer(update, controls, figure.fig)


def explore_drawing(history=None):
    """Draw a digit on an 8 x 8 grid of cells and see the network's answer and its feature maps.

    A cell you switch on gets full ink, 16 (the digits store 0..16 per pixel; the network sees
    ink / 16); one you switch off gets 0. "load a test digit" puts the chosen test digit on the
    grid, with its own grey levels (the numbers on the cells), and "clear" empties it.

    Parameters
    ----------
    history : dict, optional
        As for :func:`explore_feature_maps`.

    Returns
    -------
    Explorer
        Control ``digit`` (the test digit to load); the grid, ``clear`` and ``load`` are in
        ``explorer.cells``, ``explorer.clear_button`` and ``explorer.load_button``.

    Raises
    ------
    TypeError
        When ``history`` is not what ``train`` returns.
    """
    history = _history(history)
    model, data = history["model"], history["data"]
    choices = _test_choices(data)
    figure = DigitFigure(model.layers[0].weights, _map_limit(model, data), probabilities=True)
    state = {"ink": np.zeros((8, 8)), "loaded": None, "quiet": False}
    cells = []
    for index in range(64):
        row, col = divmod(index, 8)
        cell = widgets.ToggleButton(value=False, description="", tooltip=f"row {row}, column {col}",
                                    layout=widgets.Layout(width=f"{CELL_PX}px", height=f"{CELL_PX}px", padding="0"))
        cells.append(cell)
    grid = widgets.GridBox(cells, layout=widgets.Layout(grid_template_columns=f"repeat(8, {CELL_PX}px)",
                                                        grid_gap="2px"))
    clear = widgets.Button(description="clear", tooltip="empty every cell")
    load = widgets.Button(description="load a test digit", tooltip="put the chosen test digit on the grid")
    controls = {"digit": widgets.Dropdown(options=choices, value=choices[0][1], description="test digit")}

    def show_grid():
        state["quiet"] = True
        try:
            for cell, value in zip(cells, state["ink"].ravel()):
                with cell.hold_sync():  # one message per changed cell to the page, not one per property
                    cell.value = bool(value > 0)
                    cell.description = str(int(round(value))) if value > 0 else ""
                    cell.button_style = "info" if value > 0 else ""
        finally:
            state["quiet"] = False

    def load_digit(digit):
        state["ink"] = np.round(data.x_test[digit, :, :, 0] * INK_MAX)
        state["loaded"] = digit
        show_grid()

    def update(digit):
        if state["loaded"] != digit:
            load_digit(digit)
        ink = state["ink"]
        picture = (ink / INK_MAX).astype(np.float32)[np.newaxis, :, :, np.newaxis]
        probabilities = predict(model, picture)[0]
        maps = first_layer_maps(model, picture)[0]
        answer = int(probabilities.argmax())
        figure.show(ink, maps, "your drawing (ink 0-16)", probabilities)
        if not ink.any():
            return "The grid is empty: click cells to draw a digit (or load a test digit)."
        return (f"The network's answer: <b>{answer}</b>, with probability {probabilities[answer]:.0%}. "
                f"Cells on: {int(np.count_nonzero(ink))} of 64.")

    explorer = Explorer(update, controls, figure.fig, extra=[load, clear])

    def on_cell(change):
        if state["quiet"]:
            return
        index = cells.index(change["owner"])
        state["ink"].flat[index] = INK_MAX if change["new"] else 0
        show_grid()
        explorer.refresh()

    def on_clear(_):
        state["ink"] = np.zeros((8, 8))
        show_grid()
        explorer.refresh()

    def on_load(_):
        load_digit(controls["digit"].value)
        explorer.refresh()

    for cell in cells:
        cell.observe(on_cell, names="value")
    clear.on_click(on_clear)
    load.on_click(on_load)
    explorer.cells, explorer.clear_button, explorer.load_button = cells, clear, load
    # The grid under the controls; the picture stays a child of the explorer's box, as in every explorer.
    panel, message, picture = explorer.widget.children
    explorer.widget.children = (panel, grid, message, picture)
    return explorer


class TrainingCurves:
    """The live loss and accuracy curves of a training run, as a picture that redraws while it trains.

    Pass :meth:`on_step` to :func:`conv2d_lib.nn.digits.train` as ``on_step``; it redraws at most
    every ``every`` seconds. :meth:`finish` draws the end of the run.

    Parameters
    ----------
    epochs : int
        The run's epochs (the axes span them from the start).
    batches : int, optional
        Batches per epoch; by default those of the lesson's split and batch size.
    every : float, default 0.5
        Seconds between two pictures at least (each costs a redraw that the training waits for).
    """

    def __init__(self, epochs=EPOCHS, batches=None, every=0.5):
        self.every = every
        if batches is None:

            batches = _batches_per_epoch()
        self.epochs = epochs
        self.figure = TrainingFigure(epochs, batches)
        self.figure.reset(make_network(0).layers[0].weights, "training starts")
        self.picture = widgets.Image(format="png", value=render_png(self.figure.fig),
                                     layout=widgets.Layout(max_width="100%"))
        self._drawn_at = 0.0

    def title(self, history):
        epoch = history["epoch"] + 1
        done = len(history["test_accuracy"])
        accuracy = f", test accuracy {history['test_accuracy'][-1]:.3f}" if done else ""
        return f"epoch {epoch} of {self.epochs}, batch loss {history['loss'][-1]:.3f}{accuracy}"

    def on_step(self, history):
        """Redraw when ``every`` seconds have passed since the last picture; never asks to stop."""
        now = time.perf_counter()
        if now - self._drawn_at >= self.every:
            self.figure.show(history, self.title(history))
            self.picture.value = render_png(self.figure.fig)
            self._drawn_at = time.perf_counter()
        return False

    def finish(self, history):
        """The whole run."""
        self.figure.show(history, self.title(history) + f" ({len(history['test_accuracy'])} epochs)")
        self.picture.value = render_png(self.figure.fig)

    def _repr_mimebundle_(self, **kwargs):
        return self.picture._repr_mimebundle_(**kwargs)


def explore_training(epochs=EPOCHS):
    """Train a fresh copy of the lesson's network live, with a train and a stop button.

    The training runs as a task on the kernel's own event loop (``asyncio``), which lets the
    kernel answer the buttons between two batches: it works in JupyterLab, Voila and
    JupyterLite (where there are no threads). The picture is redrawn at most about 7 times a
    second. The ``seed`` slider picks the split, the first weights and the order of the batches;
    moving it stops a run and shows that seed's untrained kernels.

    Parameters
    ----------
    epochs : int, default the lesson's
        The length of a run.

    Returns
    -------
    Explorer
        Controls ``seed`` and ``epochs``; ``explorer.train_button``, ``explorer.stop_button``;
        ``explorer.run()`` is the coroutine the train button starts (``explorer.task``), and
        ``explorer.history`` the run so far.
    """

    batches = _batches_per_epoch()
    figure = TrainingFigure(EPOCHS, batches)
    controls = {
        "seed": widgets.IntSlider(value=0, min=0, max=11, description="seed", continuous_update=False),
        "epochs": widgets.IntSlider(value=epochs, min=1, max=EPOCHS, description="epochs",
                                    continuous_update=False),
    }
    train_button = widgets.Button(description="train", button_style="success", tooltip="train a fresh network")
    stop_button = widgets.Button(description="stop", tooltip="stop the training after this batch", disabled=True)
    run = {"generation": 0, "task": None, "history": None, "stop": False}

    def update(seed, epochs):
        run["generation"] += 1  # a running task sees this and stops without drawing
        run["history"] = None
        train_button.disabled, stop_button.disabled = False, True
        figure.ax_loss.set_xlim(0, epochs)
        figure.ax_acc.set_xlim(0.5, epochs + 0.5)
        figure.reset(make_network(seed).layers[0].weights, f"seed {seed}, {epochs} epochs: the kernels before training")
        return "Press <b>train</b> to train this network live; <b>stop</b> stops it after the batch it is on."

    explorer = Explorer(update, controls, figure.fig, extra=[train_button, stop_button])

    def draw(history, words):
        epochs = controls["epochs"].value
        title = (f"seed {controls['seed'].value}: epoch {history['epoch'] + 1} of {epochs}, "
                 f"{len(history['loss'])} batches, {history['seconds']:.1f} s of training")
        figure.show(history, title)
        explorer.message.value = words
        explorer.picture.value = render_png(figure.fig)

    async def train_live():
        """The run the train button starts: one batch, then a turn for the kernel's other work."""
        generation = run["generation"]
        run["stop"] = False
        seed, epochs = controls["seed"].value, controls["epochs"].value
        train_button.disabled, stop_button.disabled = True, False
        drawn_at, history = 0.0, None
        try:
            for history in training_steps(seed=seed, epochs=epochs):
                run["history"] = history
                if time.perf_counter() - drawn_at >= REDRAW_SECONDS:
                    draw(history, "Training: press <b>stop</b> to stop it.")
                    drawn_at = time.perf_counter()
                await asyncio.sleep(0)  # the kernel answers the buttons here
                if run["generation"] != generation:  # a new seed or a new run: not one batch more
                    return history
                if run["stop"]:  # the stop button: this run draws where it stopped
                    draw(history, f"Stopped after {len(history['loss'])} batches. Press <b>train</b> to start "
                                  "again from fresh weights.")
                    return history
            if history is not None:
                draw(history, f"Done: test accuracy <b>{history['test_accuracy'][-1]:.3f}</b> after {epochs} epochs.")
        except Exception as problem:  # noqa: BLE001 - a task's error is otherwise lost in a log nobody reads
            explorer.last_error = problem
            explorer.message.value = ('<span style="color:#b35806"><b>The training stopped on an error</b> (a fault '
                                      f"in conv2d_lib): {html.escape(type(problem).__name__)}: "
                                      f"{html.escape(str(problem))}. Press <b>train</b> to try again.</span>")
        finally:
            if run["generation"] == generation:
                train_button.disabled, stop_button.disabled = False, True
        return history

    def on_train(_):
        run["generation"] += 1
        run["history"] = None
        train_button.disabled, stop_button.disabled = True, False
        run["task"] = asyncio.ensure_future(train_live())

    def on_stop(_):
        run["stop"] = True  # heard by the run between two batches, which draws where it stopped
        stop_button.disabled = True

    train_button.on_click(on_train)
    stop_button.on_click(on_stop)
    explorer.train_button, explorer.stop_button = train_button, stop_button
    explorer.run = train_live
    explorer.runs = run
    return explorer
