"""The learning lesson's figure: the loss curve, the hidden and the learned kernel, the target and the output."""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import LogLocator, MaxNLocator, NullFormatter, NullLocator

from ._panels import LEGIBLE_PT, MapPanel, ValueGrid, new_figure, pin_labels

LOSS_COLOUR = "#648fff"  # IBM colour-blind-safe blue
LIMIT_COLOUR = "#b35806"  # the warning colour of the explorers' messages
FIRST_STEPS = 100  # the loss axis first shows this many steps, then doubles when the run goes past its end


def kernel_labels(weights):
    """The numbers printed on a kernel's cells: two decimals, or powers of ten when they grow large."""
    def label(v):
        text = f"{v:.2f}" if abs(v) < 10 else f"{v:.0f}" if abs(v) < 1000 else f"{v:.0e}"
        return "0.00" if text == "-0.00" else text

    return [[label(v) for v in row] for row in np.asarray(weights)]


class LearningFigure:
    """Six panels updated in place while gradient descent runs.

    ``conv2d`` never runs here: the explorer computes, this draws.

    Top: the loss against the step (log scale), the hidden kernel, the learned kernel.
    Bottom: the photo, the target (the photo convolved with the hidden kernel) and the
    output of the learned kernel. Both kernels share one diverging colour scale centred
    on 0, and so do the target and the output, so that "the same colour" means "the same
    number". Colour limits and the loss axis are fixed for a scene (a photo and a hidden
    kernel); the step axis doubles when a run goes past its end.

    Attributes
    ----------
    fig : matplotlib.figure.Figure
    loss_line : matplotlib.lines.Line2D
        The loss after each step.
    limit_line : matplotlib.lines.Line2D
        Where a growing loss counts as diverged.
    limit_label, verdict : matplotlib.text.Text
        "diverged above this" on the dashed line; the run in words, shown when it diverged.
    photo, hidden, learned, target, output : MapPanel
    """

    def __init__(self):
        self.fig, axes = new_figure(3, 2, width=9.5, height=6.0)
        (ax_loss, ax_hidden, ax_learned), (ax_photo, ax_target, ax_output) = axes
        # Fixed places (no layout engine): each map leaves room on its right for its colorbar.
        ax_loss.set_position([0.085, 0.60, 0.34, 0.30])
        ax_hidden.set_position([0.52, 0.60, 0.16, 0.30])
        ax_learned.set_position([0.73, 0.60, 0.16, 0.30])
        for ax, left in ((ax_photo, 0.065), (ax_target, 0.41), (ax_output, 0.67)):
            ax.set_position([left, 0.08, 0.20, 0.32])
        self.ax_loss = ax_loss
        self.loss_line = Line2D([], [], color=LOSS_COLOUR, linewidth=2.0)
        ax_loss.add_line(self.loss_line)
        self.limit_line = ax_loss.axhline(1.0, color=LIMIT_COLOUR, linestyle="--", linewidth=1.3)
        self.limit_label = ax_loss.text(0.98, 1.0, "diverged above this", transform=ax_loss.get_yaxis_transform(),
                                        ha="right", va="bottom", fontsize=LEGIBLE_PT, color=LIMIT_COLOUR)
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        ax_loss.yaxis.set_minor_formatter(NullFormatter())
        ax_loss.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        ax_loss.set_xlabel("step")
        ax_loss.set_ylabel("loss (mean squared error)")
        pin_labels(ax_loss, left=44)
        ax_loss.set_title("loss, log scale", y=1.0, pad=10)
        # Words on the plot only when the run diverged: text is most of a redraw's cost.
        self.verdict = ax_loss.text(0.03, 0.05, "", transform=ax_loss.transAxes, ha="left", va="bottom",
                                    fontsize=10, color=LIMIT_COLOUR, fontweight="bold", visible=False,
                                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=2.0))
        zeros = np.zeros((3, 3))
        # Each pair shares one colour scale, so it shares one colorbar, on the right of the pair.
        self.hidden = MapPanel(ax_hidden, zeros, "hidden kernel", signed=True, vrange=(-1.0, 1.0), colorbar=False)
        self.learned = MapPanel(ax_learned, zeros, "learned kernel", signed=True, vrange=(-1.0, 1.0),
                                label="weight (both kernels)")
        self.hidden_values = ValueGrid(ax_hidden, fontsize=10)
        self.learned_values = ValueGrid(ax_learned, fontsize=10)
        self.photo = MapPanel(ax_photo, np.zeros((2, 2)), "photo", label="brightness", vrange=(0.0, 1.0))
        self.target = MapPanel(ax_target, np.zeros((2, 2)), "target", signed=True,
                               vrange=(-1.0, 1.0), colorbar=False)
        self.output = MapPanel(ax_output, np.zeros((2, 2)), "learned output", signed=True,
                               vrange=(-1.0, 1.0), label="output value (both maps)")
        for panel in (self.learned, self.output):  # rows as its partner on the left: one label for the pair
            panel.ax.set_ylabel("")
        for panel in (self.photo, self.target, self.output):
            for axis in (panel.ax.xaxis, panel.ax.yaxis):
                axis.set_major_locator(MaxNLocator(4, integer=True))

    def set_scene(self, photo, hidden, target, limit):
        """Fix the colour limits and the loss axis for one photo and hidden kernel.

        Parameters
        ----------
        photo : ndarray, shape (H, W)
            In [0, 1].
        hidden : ndarray, shape (kH, kW)
        target : ndarray, shape (H_out, W_out)
        limit : float
            The loss above which a run counts as diverged (drawn as a dashed line).
        """
        self.photo.set(photo)
        bound = float(np.max(np.abs(hidden))) or 1.0
        for panel in (self.hidden, self.learned):
            panel.vrange = (-bound, bound)
        self.hidden.set(hidden)
        self.hidden_values.set(hidden, mapper=self.hidden.image, labels=kernel_labels(hidden))
        # The target's colours span its 99th percentile: a few brighter edges saturate, the rest stay readable.
        scale = float(np.percentile(np.abs(target), 99)) or 1.0
        for panel in (self.target, self.output):
            panel.vrange = (-scale, scale)
        self.target.set(target)
        self.limit_line.set_ydata([limit, limit])
        self.limit_label.set_y(limit)
        self.ax_loss.set_ylim(1e-10, limit * 1e3)

    def show(self, losses, weights, output, verdict, diverged):
        """Show a run after its latest step.

        Parameters
        ----------
        losses : sequence of float
            The loss after 0, 1, 2, ... steps.
        weights : ndarray, shape (kH, kW)
            The learned kernel now.
        output : ndarray, shape (H_out, W_out)
            ``conv2d(photo, weights)``.
        verdict : str
            The run in words.
        diverged : bool
            Show the verdict on the loss panel, as a warning (otherwise the message line says it).
        """
        steps = len(losses) - 1
        shown = FIRST_STEPS  # the step axis: FIRST_STEPS, doubled until the run fits
        while steps > shown:
            shown *= 2
        self.ax_loss.set_xlim(0, shown)
        self.loss_line.set_data(np.arange(len(losses)), np.asarray(losses, float))
        self.learned.set(weights, f"learned kernel, step {steps}")
        self.learned_values.set(weights, mapper=self.learned.image, labels=kernel_labels(weights))
        self.output.set(output)
        self.verdict.set_text(textwrap.fill(verdict, 44) if diverged else "")
        self.verdict.set_visible(bool(diverged))
