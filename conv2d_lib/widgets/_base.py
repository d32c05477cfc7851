"""The Explorer: controls, one figure updated in place, a line of words, and timings."""

from __future__ import annotations

import time

import ipywidgets as widgets

from ..plot import render_png, render_veiled_png


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
    """

    def __init__(self, update, controls, figure, extra=()):
        self.update, self.controls, self.figure = update, dict(controls), figure
        self.picture = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.message = widgets.HTML()
        self.timings_ms = []
        self._holding = False
        self._drawn = None  # the control values of the last refresh
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
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
        """Set several controls by name, then refresh once."""
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def refresh(self):
        """Recompute and redraw with the current control values; return the time in ms."""
        start = time.perf_counter()
        self._drawn = self.values()
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
        if not self._holding and self.values() != self._drawn:
            self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
