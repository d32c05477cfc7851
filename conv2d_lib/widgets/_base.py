"""The Explorer: controls, one figure updated in place, a line of words, and timings."""

from __future__ import annotations

import base64
import contextlib
import html
import math
import numbers
import time

import ipywidgets as widgets
import numpy as np

from .._checks import describe, is_int
from ..plot import render_png, render_veiled_png

_SELECTIONS = (widgets.Dropdown, widgets.ToggleButtons, widgets.Select, widgets.RadioButtons,
               widgets.SelectionSlider)
_INTS = (widgets.IntSlider, widgets.BoundedIntText, widgets.IntText, widgets.Play)
_FLOATS = (widgets.FloatSlider, widgets.BoundedFloatText, widgets.FloatText, widgets.FloatLogSlider)
_BOOLS = (widgets.Checkbox, widgets.ToggleButton)


def _same(a, b):
    """``a == b`` for option values, without taking True for 1 or False for 0."""
    if isinstance(a, (bool, np.bool_)) != isinstance(b, (bool, np.bool_)):
        return False
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def check_setting(name, control, value):
    """Raise in words when ``control`` (called ``name``) cannot take ``value``; return it otherwise.

    ipywidgets clamps an out-of-range number to the slider's end without a word; this says
    which values the control takes instead.

    Parameters
    ----------
    name : str
        The control's keyword in the explorer, for the message.
    control : ipywidgets.ValueWidget
        A slider, number box, menu, toggle or checkbox (other widgets take any value).
    value : object

    Returns
    -------
    object
        ``value`` as the control holds it (an int, a float, a bool, or the option itself).

    Raises
    ------
    TypeError
        When ``value`` has the wrong type for the control (a float for a whole-number slider, ...).
    ValueError
        When ``value`` is outside the control's range, off its steps, or not one of its options.
    """
    if isinstance(control, _SELECTIONS):
        values, labels = control._options_values, control._options_labels
        for v in values:
            if _same(value, v):
                return v
        offered = ", ".join(repr(v) if str(v) == label else f"{v!r} ({label!r})" for v, label in zip(values, labels))
        raise ValueError(f"{name} must be one of {offered}; got {describe(value)}")
    if isinstance(control, _BOOLS):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be True or False, got {describe(value)}")
        return bool(value)
    low, high = getattr(control, "min", None), getattr(control, "max", None)
    if isinstance(control, _INTS):
        if not is_int(value):
            raise TypeError(f"{name} must be a whole number (int) from {low} to {high}, got {describe(value)}")
        value = int(value)
        step = getattr(control, "step", 1) or 1
        if low is not None and (value < low or value > high):
            raise ValueError(f"{name} must be from {low} to {high} (the control's range now), got {value}")
        if low is not None and step > 1 and (value - low) % step:
            allowed = ", ".join(str(v) for v in range(low, high + 1, step))
            raise ValueError(f"{name} must be one of {allowed} (it moves in steps of {step}), got {value}")
        return value
    if isinstance(control, _FLOATS):
        if not isinstance(value, numbers.Real) or isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be a number from {low} to {high}, got {describe(value)}")
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number from {low} to {high}, got {value}")
        if isinstance(control, widgets.FloatLogSlider):
            low, high = control.base ** control.min, control.base ** control.max
        if low is not None and (value < low or value > high):
            raise ValueError(f"{name} must be from {low:g} to {high:g} (the control's range), got {value:g}")
        return value
    return value


class Explorer:
    """Controls wired to one figure that is updated in place, never rebuilt.

    On every change of a control, ``update(**values)`` recomputes with the library
    and moves the figure's existing artists (``set_data``); the figure is then
    rendered to PNG into an ``ipywidgets.Image``. That works with matplotlib's
    default inline backend in every front end (JupyterLab, Notebook 7, VS Code,
    Colab, Voila) and shows no flicker, because the picture's bytes are swapped
    rather than the output cleared.

    Parameters
    ----------
    update : callable
        ``update(**values) -> str or None``: takes one keyword per control, updates
        the figure, and returns a short HTML message to show next to the controls.
        A ``ValueError`` it raises (a setting that is truly impossible, such as a
        kernel larger than the padded input) is shown in words instead of a traceback.
    controls : dict of str to ipywidgets.ValueWidget
        The knobs, by the keyword ``update`` takes.
    figure : matplotlib.figure.Figure
    extra : list of ipywidgets.Widget, optional
        Widgets shown with the controls that are not arguments of ``update``
        (an upload button, say).

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the notebook shows.
    timings_ms : list of float
        Duration of every refresh (compute, draw and PNG), for the benchmark.
    last_error : Exception or None
        An error other than ``ValueError`` met by a refresh that a control asked for: it is
        shown in words in the message line (a fault of the library, kept here for a bug report).
    """

    def __init__(self, update, controls, figure, extra=()):
        self.update, self.controls, self.figure = update, dict(controls), figure
        self.picture = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.message = widgets.HTML()
        self.timings_ms = []
        self.last_error = None  # an unexpected error of the last refresh a control asked for
        self._holding = False
        self._drawn = None  # the control values of the last refresh
        self._stale = False  # True when the picture behind an unchanged image name is new
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
            # An image menu whose picture can change under the same name (a new upload as "your
            # picture") calls these before it tells its observers, so the explorer redraws even
            # though no control's value changed.
            hooks = getattr(control, "new_picture_hooks", None)
            if hooks is not None:
                hooks.append(self._on_new_picture)
            if isinstance(control, widgets.Checkbox):  # its description is its label: show it whole
                control.indent = False
                control.layout.width = "auto"
            elif hasattr(getattr(control, "style", None), "description_width"):  # "output map o", not "output m..."
                control.style.description_width = "initial"
        panel = widgets.Box(list(self.controls.values()) + list(extra),
                            layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.widget = widgets.VBox([panel, self.message, self.picture])
        self.refresh()

    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Set several controls by name, in the order given, then refresh once.

        Each value is checked against its control as it is then (a slider's range can
        depend on the image or on a control set before it): nothing is clamped or guessed.

        Raises
        ------
        TypeError
            When a name is not one of the explorer's controls, or a value has the wrong type.
        ValueError
            When a value is outside its control's range or not one of its options. The
            controls are then back where they were.
        """
        unknown = [name for name in values if name not in self.controls]
        if unknown:
            raise TypeError(f"this explorer has no control called {unknown[0]!r}; its controls are "
                            + ", ".join(self.controls))
        before = self.values()
        try:
            with self.holding():
                for name, value in values.items():
                    self.controls[name].value = check_setting(name, self.controls[name], value)
        except (TypeError, ValueError):
            with self.holding():
                for name, value in before.items():  # in the controls' order: the image first, then its sliders
                    if self.controls[name].value != value:
                        self.controls[name].value = value
            if self.values() != self._drawn:
                self.refresh()
            raise
        self.refresh()

    @contextlib.contextmanager
    def holding(self):
        """Change several controls without a redraw per change (nested uses keep holding).

        Whoever holds refreshes afterwards, as :meth:`set` does; a control's own observer
        that runs after the hold (a menu's, say) redraws as usual.
        """
        held, self._holding = self._holding, True
        try:
            yield self
        finally:
            self._holding = held

    def refresh(self):
        """Recompute and redraw with the current control values; return the time in ms."""
        start = time.perf_counter()
        self._drawn, self._stale = self.values(), False
        try:
            message = self.update(**self._drawn)
        except ValueError as problem:
            message = f"<b>This setting cannot work:</b> {problem}"
            self.message.value = f'<span style="color:#b35806">{message}</span>'
            # Veil the last picture, so it does not pass for the result of this setting.
            self.picture.value = render_veiled_png(self.figure, "This setting cannot work:\nsee the message above")
        else:
            self.message.value = message or ""
            self.picture.value = render_png(self.figure)
        elapsed = (time.perf_counter() - start) * 1000.0
        self.timings_ms.append(elapsed)
        return elapsed

    def _on_change(self, change):
        # One learner action can change several controls (a new image clamps the row
        # slider, whose observer runs first): draw once per distinct state, not per event.
        if not self._holding and (self._stale or self.values() != self._drawn):
            self._refresh_in_words()

    def _on_new_picture(self):
        self._stale = True  # the next change event redraws, whatever the values

    def _refresh_in_words(self):
        """Refresh for the learner: an unexpected error is shown in words, never lost in a log."""
        try:
            self.refresh()
        except Exception as problem:  # noqa: BLE001 - words in the explorer, not a log nobody reads
            self.last_error = problem
            self.message.value = (
                '<span style="color:#b35806"><b>Something went wrong in the explorer</b> (a fault in '
                f"conv2d_lib, not in what you did): {html.escape(type(problem).__name__)}: "
                f"{html.escape(str(problem))}. Try another setting, or rerun the cell.</span>")
            try:
                self.picture.value = render_veiled_png(self.figure, "Something went wrong:\nsee the message above")
            except Exception:  # noqa: BLE001 - the words above are what matters
                pass

    def static_note(self):
        """The words shown with the explorer's picture where no widget can be: its controls need a kernel.

        A static page has no kernel; a front end without the widget manager has no widgets.
        """
        named = [control.description for control in self.controls.values() if control.description]
        unnamed = len(self.controls) - len(named)
        listed = ", ".join(dict.fromkeys(named)) + (f" and {unnamed} number boxes" if unnamed else "")
        return (f"A still picture of this explorer. Its controls ({listed}) need a live kernel with "
                "Jupyter widgets: run the lesson in JupyterLab to move them (lesson 00 says what to do "
                "when the widgets do not show).")

    def _repr_mimebundle_(self, **kwargs):
        """The widget, plus its current picture and words for a page without a kernel.

        A live front end (JupyterLab, Notebook 7, VS Code, Voila) shows the widget: its
        renderer outranks every other type in the bundle. A static page (nbconvert's HTML,
        a notebook viewer, a PDF) cannot show a widget without its state and JavaScript,
        and shows the ``text/html`` or ``image/png`` copy of the picture instead.
        """
        bundle = dict(self.widget._repr_mimebundle_(**kwargs))
        picture = base64.b64encode(self.picture.value).decode("ascii")
        note = html.escape(self.static_note())
        bundle["text/html"] = (
            '<div class="conv2d-static-explorer">'
            f'<p class="conv2d-static-note"><em>{note}</em></p>'
            f'<div class="conv2d-static-message">{self.message.value}</div>'
            f'<img src="data:image/png;base64,{picture}" style="max-width: 100%" '
            'alt="The explorer\'s picture for its current settings">'
            "</div>")
        bundle["image/png"] = picture
        bundle["text/plain"] = self.static_note()
        return bundle
