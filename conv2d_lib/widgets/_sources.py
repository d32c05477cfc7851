"""The image picker every explorer offers: samples, small numbers, or your own picture."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import images

YOUR_PICTURE = "your picture"


class ImageChooser:
    """A dropdown of sample images plus an upload button for the learner's own picture.

    Parameters
    ----------
    gray : bool
        Whether the lesson works on ``(H, W)`` images (True) or ``(H, W, 3)``.
    default : str
        The sample shown first (one of ``images.SAMPLES``).
    own : ndarray or str or pathlib.Path, optional
        The learner's own picture (an array, or a file path), offered as "your picture".
    choices : sequence of str, optional
        Which samples to offer (default: all).

    Attributes
    ----------
    control : ipywidgets.Dropdown
        Its value is the name of the current image; explorers list it among their controls.
    upload : ipywidgets.FileUpload
        Picking a file adds it as "your picture" and selects it.
    """

    def __init__(self, gray, default="cat", own=None, choices=images.SAMPLES):
        self.gray = gray
        self._cache = {}
        options = list(choices)
        if own is not None:
            if not isinstance(own, np.ndarray):
                own = images.load_image(own)
            self._cache[YOUR_PICTURE] = self._prepare(own)
            options.append(YOUR_PICTURE)
            default = YOUR_PICTURE
        self.control = widgets.Dropdown(options=options, value=default, description="image")
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="your picture")
        self.upload.observe(self._on_upload, names="value")

    def array(self, name):
        """The image called ``name``, shaped for the lesson (cached)."""
        if name not in self._cache:
            self._cache[name] = images.sample(name, gray=self.gray)
        return self._cache[name]

    def _prepare(self, picture):
        picture = images.to_unit_floats(np.asarray(picture))
        return images.as_channels(picture, self.gray)

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        self._cache[YOUR_PICTURE] = self._prepare(images.load_image(files[0]["content"].tobytes()))
        if YOUR_PICTURE not in self.control.options:
            self.control.options = list(self.control.options) + [YOUR_PICTURE]
        if self.control.value == YOUR_PICTURE:  # same value: the observer would not fire
            self.control.value = self.control.options[0]
        self.control.value = YOUR_PICTURE
