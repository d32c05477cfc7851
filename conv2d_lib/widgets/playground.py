"""Explorer for notebooks/09_playground.ipynb: every knob of the convolution layer on one screen."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images, kernels
from ..conv import PADDING_MODES, conv2d, explain_output_size, output_size, pad, resolve_padding
from ..influence import (central_output, copies_of, inputs_read_by, outputs_affected_by, playground_weights,
                         taps_of, window_centre)
from ..references import REFERENCE_NAMES, REFERENCES, available, missing_message, reference_conv2d
from ..plot.playground import KEY, PlaygroundFigure
from ._base import Explorer
from ._sources import ImageChooser

CUSTOM = "custom"
EVEN = {"box_blur 2x2": 2, "box_blur 4x4": 4}  # even kernels, to see "same" pad one side more
KERNEL_CHOICES = kernels.names() + list(EVEN) + [kernels.SMALL_WEIGHTS, CUSTOM]
VIEWS = ("RGB", *images.CHANNEL_NAMES)


def _kernel(name, grid):
    """The 2-D kernel called ``name``; ``grid`` (3 x 3) when it is "custom"."""
    if name == CUSTOM:
        return grid
    if name in EVEN:
        return kernels.get("box_blur", size=EVEN[name])
    return kernels.from_menu(name)


def _pick_reference(reference):
    """The backend to compare with: the one asked for, or for "auto" SciPy, else PyTorch, else None."""
    if reference != "auto":
        return reference
    return next((backend for backend in REFERENCES if available(backend)), None)


def explore_playground(image=None, default="cat", reference="auto"):
    """Every knob of a 2-D convolution layer together, with the receptive field lit.

    The layer's weights have shape ``(C_out, 3, k, k)``: output channel ``o`` applies
    the chosen kernel turned ``o`` quarter turns clockwise to each of the three
    input channels and sums them (:func:`conv2d_lib.influence.playground_weights`).

    Parameters
    ----------
    image : ndarray of shape (H, W, 3) or (H, W), or a file path, optional
        Your own picture, offered as "your picture" (and shown first).
    default : str
        The sample image shown first otherwise (one of ``images.SAMPLES``).
    reference : {"auto", "scipy", "torch", None}
        What our result is compared with, live, in the message line. "auto" takes
        SciPy, else PyTorch, whichever is installed; None compares with nothing.

    Returns
    -------
    Explorer
        Controls ``image``, ``kernel``, ``w00`` ... ``w22`` (the custom 3 x 3 kernel;
        typing in one selects "custom"), ``c_out``, ``channel`` (the output channel
        shown), ``bias``, ``padding``, ``padding_mode``, ``same``, ``stride``,
        ``dilation``, ``flip`` (true convolution), ``view`` (RGB or one input
        channel), ``pick_input`` and ``row``, ``col`` (the output pixel, or the input
        pixel when ``pick_input`` is ticked). Its ``state`` dict holds the last
        ``image``, ``weights``, ``bias``, ``settings`` (conv2d's keywords) and ``output``;
        ``panels`` is its :class:`~conv2d_lib.plot.playground.PlaygroundFigure`.
    """
    if reference is not None and reference != "auto" and reference not in REFERENCES:
        raise ValueError(f"reference must be 'auto', 'scipy', 'torch' or None, got {reference!r}")
    backend = _pick_reference(reference) if reference is not None else None
    chooser = ImageChooser(gray=False, default=default, own=image)
    figure = PlaygroundFigure()
    start = kernels.get("sobel_x")  # the grid shows the kernel the menu starts on
    boxes = {f"w{r}{c}": widgets.BoundedFloatText(value=start[r, c], min=-10.0, max=10.0, step=1.0,
                                                  tooltip=f"kernel weight, row {r}, column {c}",
                                                  layout=widgets.Layout(width="4.5em"))
             for r in range(3) for c in range(3)}
    narrow = {"style": {"description_width": "initial"}}
    controls = {
        "image": chooser.control,
        "kernel": widgets.Dropdown(options=KERNEL_CHOICES, value="sobel_x", description="kernel"),
        **boxes,
        "c_out": widgets.IntSlider(value=2, min=1, max=4, description="C_out"),
        "channel": widgets.IntSlider(value=0, min=0, max=1, description="show output", **narrow),
        "bias": widgets.FloatSlider(value=0.0, min=-2.0, max=2.0, step=0.1, description="bias"),
        "padding": widgets.IntSlider(value=1, min=0, max=4, description="padding"),
        "padding_mode": widgets.Dropdown(options=PADDING_MODES, value="zeros", description="mode"),
        "same": widgets.Checkbox(value=False, description="'same' padding"),
        "stride": widgets.IntSlider(value=1, min=1, max=4, description="stride"),
        "dilation": widgets.IntSlider(value=1, min=1, max=3, description="dilation"),
        "flip": widgets.Checkbox(value=False, description="flip (true convolution)"),
        "view": widgets.Dropdown(options=VIEWS, value="RGB", description="show input"),
        "pick_input": widgets.Checkbox(value=False, description="pick an input pixel instead"),
        "row": widgets.IntSlider(value=0, min=0, max=0, description="output row"),
        "col": widgets.IntSlider(value=0, min=0, max=0, description="output col"),
    }

    def grid():
        return np.array([[controls[f"w{r}{c}"].value for c in range(3)] for r in range(3)], dtype=float)

    def settings(values):
        """conv2d's keyword arguments from the control values."""
        return dict(stride=values["stride"], dilation=values["dilation"], padding_mode=values["padding_mode"],
                    padding="same" if values["same"] else values["padding"])

    def fit_sliders(change=None):
        """Let row / col reach exactly the output's (or the input's) rows and columns."""
        values = {name: control.value for name, control in controls.items()}
        x = chooser.array(values["image"])
        k = _kernel(values["kernel"], grid())
        knobs = settings(values)
        try:
            if values["pick_input"]:
                size = x.shape[:2]
            else:
                size = output_size(x.shape[:2], k.shape, knobs["stride"], knobs["padding"], knobs["dilation"])
        except ValueError:  # an impossible setting: update() says so in words
            return
        where = "input" if values["pick_input"] else "output"
        controls["row"].max, controls["col"].max = size[0] - 1, size[1] - 1
        controls["row"].description, controls["col"].description = f"{where} row", f"{where} col"

    def fit_channel(change):
        controls["channel"].max = change["new"] - 1

    filling = []  # non-empty while show_in_grid writes the boxes: that is not the learner typing

    def choose_custom(change):
        if not filling:
            controls["kernel"].value = CUSTOM

    def show_in_grid(change):
        """Copy a 3 x 3 kernel picked in the menu into the boxes, so typing edits the kernel you see."""
        if change["new"] == CUSTOM:
            return
        k = _kernel(change["new"], grid())
        if k.shape != (3, 3):
            return
        filling.append(True)
        try:
            with explorer.holding():  # one redraw for the nine boxes, not nine
                for r in range(3):
                    for c in range(3):
                        controls[f"w{r}{c}"].value = float(np.clip(k[r, c], -10.0, 10.0))
        finally:
            filling.pop()

    def toggle_padding(change=None):
        controls["padding"].disabled = controls["same"].value
        # With no padding there is nothing for the mode to fill: say so on the menu itself.
        no_frame = controls["padding"].value == 0 and not controls["same"].value
        controls["padding_mode"].disabled = no_frame
        controls["padding_mode"].tooltip = ("padding 0: no frame to fill, so the mode changes nothing"
                                            if no_frame else "what fills the padding frame")

    def switch_pick(change):
        """Keep the spotlight in place: output pixel -> the centre of its window, input pixel -> its first output."""
        values = {name: control.value for name, control in controls.items()}
        x = chooser.array(values["image"])
        k = _kernel(values["kernel"], grid())
        knobs = settings(values)
        geometry = dict(input_size=x.shape[:2], kernel_size=k.shape, stride=knobs["stride"],
                        padding=knobs["padding"], dilation=knobs["dilation"])
        row, col = controls["row"].value, controls["col"].value
        target = None
        try:
            if change["new"]:  # was an output pixel: the input pixel under the middle of its window
                target = window_centre(row, col, **geometry)
            else:  # was an input pixel: the middle one of the outputs it affects
                target = central_output(row, col, **geometry, padding_mode=knobs["padding_mode"])
        except ValueError:  # an impossible setting: leave the sliders where they are
            pass
        fit_sliders()
        if target is not None:
            controls["row"].value, controls["col"].value = target

    # Registered before the Explorer's own observers, so the sliders fit before it refreshes.
    for name in ("image", "kernel", "padding", "padding_mode", "same", "stride", "dilation"):
        controls[name].observe(fit_sliders, names="value")
    controls["pick_input"].observe(switch_pick, names="value")
    for box in boxes.values():
        box.observe(choose_custom, names="value")
    controls["c_out"].observe(fit_channel, names="value")
    controls["same"].observe(toggle_padding, names="value")
    controls["padding"].observe(toggle_padding, names="value")
    toggle_padding()
    fit_sliders()
    state = {}  # the last result, for the lesson to check against conv2d called directly
    controls["row"].value, controls["col"].value = controls["row"].max // 2, controls["col"].max // 2

    def update(image, kernel, c_out, channel, bias, padding, padding_mode, same, stride, dilation, flip, view,
               pick_input, row, col, **weights):
        x = chooser.array(image)
        k = _kernel(kernel, np.array([[weights[f"w{r}{c}"] for c in range(3)] for r in range(3)]))
        w = playground_weights(k, c_out, c_in=x.shape[2], flip=flip)
        knobs = dict(stride=stride, dilation=dilation, padding_mode=padding_mode,
                     padding="same" if same else padding)
        out = conv2d(x, w, bias=float(bias), **knobs)  # (H_out, W_out, C_out); raises in words if impossible
        state.update(image=x, weights=w, bias=float(bias), settings=knobs, output=out)
        geometry = dict(input_size=x.shape[:2], kernel_size=k.shape, stride=stride, padding=knobs["padding"],
                        dilation=dilation)
        pads = resolve_padding(knobs["padding"], k.shape, stride, dilation)
        shown = x if view == "RGB" else x[..., VIEWS.index(view) - 1]
        channel = min(channel, c_out - 1)
        if pick_input:
            row, col = min(row, x.shape[0] - 1), min(col, x.shape[1] - 1)
            lit_in = copies_of(row, col, **geometry, padding_mode=padding_mode)
            lit_out = outputs_affected_by(row, col, **geometry, padding_mode=padding_mode)
            picked = _affected_text(row, col, lit_out)
        else:
            row, col = min(row, out.shape[0] - 1), min(col, out.shape[1] - 1)
            lit_in = taps_of(row, col, **geometry)
            lit_out = np.zeros(out.shape[:2], bool)
            lit_out[row, col] = True
            read = inputs_read_by(row, col, **geometry, padding_mode=padding_mode)
            picked = (f"out[{row}, {col}, {channel}] = {out[row, col, channel]:.4g}; it reads "
                      f"{int(read.sum())} of the input's {x.shape[0] * x.shape[1]} pixels "
                      f"(x {x.shape[2]} channels)")
        (top, bottom), (left, right) = pads
        titles = (f"{'padded ' if top + bottom + left + right else ''}input, "
                  f"{x.shape[0] + top + bottom} x {x.shape[1] + left + right} ({view})",
                  f"weights[{channel}, c]{', flipped' if flip else ''} (all c)",
                  f"output channel {channel} of {c_out}, {out.shape[0]} x {out.shape[1]}")
        # Colour limits from every output channel the C_out slider offers, without bias or
        # padding: they hold while those sliders move.
        bound = np.abs(conv2d(x, playground_weights(k, controls["c_out"].max, c_in=x.shape[2], flip=flip))).max()
        figure.show(pad(shown, pads, padding_mode), (top, left, *x.shape[:2]), w[channel, 0], out[..., channel],
                    lit_in, lit_out, titles, bound=bound)
        lines = [f"input {x.shape[0]} x {x.shape[1]} x {x.shape[2]}, weights {w.shape} = (C_out, C_in, kH, kW) "
                 f"&rarr; output {out.shape[0]} x {out.shape[1]} x {out.shape[2]} (channels-last)",
                 f"output height: {explain_output_size(x.shape[0], k.shape[0], stride, knobs['padding'], dilation)}"
                 + (f" (padding {top} on top, {bottom} at the bottom)" if top != bottom else ""),
                 f"output width: {explain_output_size(x.shape[1], k.shape[1], stride, knobs['padding'], dilation)}"
                 + (f" (padding {left} on the left, {right} on the right)" if left != right else ""),
                 *(["padding 0: no frame to fill, so the <b>mode</b> changes nothing"]
                   if not top + bottom + left + right else []),
                 picked, _compare(backend, reference, out, x, w, bias, knobs), KEY]
        return "<br>".join(lines)

    explorer = Explorer(update, controls, figure.fig, extra=[chooser.upload])
    # Registered after the Explorer's own observer: the picture is drawn for the new menu value,
    # and the boxes then follow it without a second drawing.
    controls["kernel"].observe(show_in_grid, names="value")
    explorer.state, explorer.panels = state, figure
    kernel_grid = widgets.GridBox(list(boxes.values()),
                                  layout=widgets.Layout(grid_template_columns="repeat(3, 5em)"))
    own = widgets.VBox([widgets.HTML("<b>custom kernel</b>: the menu's 3 x 3 kernel; type to change it "
                                     "(then Enter)"), kernel_grid])
    rest = widgets.Box([control for name, control in controls.items() if name not in boxes and name != "image"],
                       layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    top = widgets.HBox([widgets.VBox([chooser.control, chooser.upload]), own, rest],
                       layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap"))
    explorer.widget.children = (top, explorer.message, explorer.picture)
    return explorer


def _affected_text(row, col, lit_out):
    """Which outputs input pixel (row, col) influences, in words."""
    count = int(lit_out.sum())
    if not count:
        return (f"input pixel ({row}, {col}) influences <b>no</b> output: no window reads it "
                "(stride and dilation step over it, or the floor drops its rows / columns)")
    rows, cols = np.flatnonzero(lit_out.any(axis=1)), np.flatnonzero(lit_out.any(axis=0))
    return (f"input pixel ({row}, {col}) influences {count} output pixel(s) in every output channel: "
            f"rows {', '.join(map(str, rows))} &times; columns {', '.join(map(str, cols))}")


def _compare(backend, reference, out, x, w, bias, knobs):
    """The readout 'max |ours - SciPy| = 3.6e-07', or why there is none."""
    if backend is None:
        if reference is None:
            return "no reference asked for"
        return f"{missing_message('scipy')} (or {missing_message('torch')})"
    if not available(backend):
        return missing_message(backend)
    theirs = reference_conv2d(x, w, float(bias), backend=backend, **knobs)
    return f"max |ours - {REFERENCE_NAMES[backend]}| = {np.max(np.abs(out - theirs)):.1e}"
