"""The image picker every explorer offers: samples, small numbers, or your own picture."""

from __future__ import annotations

import html
import os

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import images
from .._checks import check_choice

YOUR_PICTURE = "your picture"

# The largest file the upload button takes. The browser sends the whole file to the kernel in one
# websocket message, and a Jupyter server drops the connection on a message over 10 MiB
# (10,485,760 bytes, tornado's default websocket_max_message_size) before the kernel sees it:
# 8 MB stays below that with room for the message's envelope, so any Jupyter server passes it on.
UPLOAD_LIMIT_MB = 8
UPLOAD_LIMIT_BYTES = UPLOAD_LIMIT_MB * 1_000_000
# Below this many pixels on a side, most kernels do not fit: say so when such a picture comes.
_SMALL_SIDE = 3
_PROBLEM_STYLE = "color:#b35806"  # the explorers' colour for words about what cannot work
_NOTE_STYLE = "color:#555"


def _megabytes(size):
    """``36 MB``, ``8.4 MB``: a file size in MB (10**6 bytes), as file managers show it."""
    value = size / 1e6
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB"


class ImageChooser:
    """A dropdown of sample images plus an upload button for the learner's own picture.

    Whatever becomes of an upload is said in words next to the button: the size limit
    before any upload, then what was done to the picture (shrunk, turned upright, ...),
    or why it was not used (not a picture, too large, damaged). The button is reset after
    every file, so the next one (the same file again, too) is always taken.

    Parameters
    ----------
    gray : bool
        Whether the lesson works on ``(H, W)`` images (True) or ``(H, W, 3)``.
    default : str
        The sample shown first (one of ``images.SAMPLES``).
    own : ndarray of shape (H, W) or (H, W, 3), or str or pathlib.Path, optional
        The learner's own picture (an array, or a file path), offered as "your picture".
        A uint8 array is read as 0-255 pixels, a float array with values above 2 as well.
    choices : sequence of str, optional
        Which samples to offer (default: all).

    Attributes
    ----------
    control : ipywidgets.Dropdown
        Its value is the name of the current image; explorers list it among their controls.
    button : ipywidgets.FileUpload
        Picking a file adds it as "your picture" and selects it.
    status : ipywidgets.HTML
        The words next to the button.
    upload : ipywidgets.Box
        The button and its words, as the explorers show them.

    Raises
    ------
    TypeError, ValueError
        When ``own`` is not a picture that can be used (the message says why).
    """

    def __init__(self, gray, default="cat", own=None, choices=images.SAMPLES):
        self.gray = gray
        self._cache = {}
        self._given = {}  # your picture as it came: the array given, or the decoded file's uint8 pixels
        self._own_words = None  # what became of your picture, said again whenever it is picked
        options = list(choices)
        check_choice(default, "default", tuple(options))
        self.button = widgets.FileUpload(
            accept="image/*", multiple=False, description=YOUR_PICTURE,
            tooltip=f"Pick a picture file (PNG, JPEG, ...) of at most {UPLOAD_LIMIT_MB} MB")
        self.status = widgets.HTML(layout=widgets.Layout(max_width="36em"))
        self.status.add_class("conv2d-upload-status")
        self._show_limit()
        if own is not None:
            if isinstance(own, np.ndarray):
                self._cache[YOUR_PICTURE] = self._prepare(own)
                self._given[YOUR_PICTURE] = own
            elif not isinstance(own, (str, os.PathLike)):
                raise TypeError(f"image must be an ndarray of shape (H, W) or (H, W, 3), or a file path, "
                                f"got {type(own).__name__}")
            else:
                array, notes = images.read_picture(own, 256)
                self._cache[YOUR_PICTURE] = self._prepare(array)
                self._given[YOUR_PICTURE] = array
                self._own_words = self._notes_text("your picture", array, notes)
                self._say(self._own_words, _NOTE_STYLE)
            options.append(YOUR_PICTURE)
            default = YOUR_PICTURE
        self.control = widgets.Dropdown(options=options, value=default, description="image")
        self.control.new_picture_hooks = []  # explorers add a redraw here (see Explorer)
        self.control.observe(self._on_pick, names="value")
        self.button.observe(self._on_upload, names="value")
        self.upload = widgets.Box([self.button, self.status],
                                  layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.upload.add_class("conv2d-upload")

    def array(self, name):
        """The image called ``name``, shaped for the lesson (cached)."""
        if name not in self._cache:
            self._cache[name] = images.sample(name, gray=self.gray)
        return self._cache[name]

    def pixels(self, name):
        """The image called ``name`` with the numbers a learner would find in it, shaped for the lesson.

        The photos as their uint8 0-255 pixels, your picture exactly as it came (the
        array you gave, or the file's uint8 pixels), a pattern as its own floats.
        Never cast or rescaled: these are the numbers a lesson may print.
        """
        if name in self._given:
            given = self._given[name]
            if self.gray or given.ndim == 3:
                return images.as_channels(given, True) if self.gray else given
            return np.repeat(given[:, :, np.newaxis], 3, axis=2)  # grey as three equal channels, same dtype
        if name in images.photo_names():
            return np.round(self.array(name) * 255.0).astype(np.uint8)
        return self.array(name)

    def _prepare(self, picture):
        if not isinstance(picture, np.ndarray) or picture.dtype.kind not in "biuf":
            raise TypeError(f"image must be a numeric ndarray of shape (H, W) or (H, W, 3), or a file path, "
                            f"got {type(picture).__name__}"
                            + (f" of dtype {picture.dtype}" if isinstance(picture, np.ndarray) else ""))
        if picture.ndim not in (2, 3) or (picture.ndim == 3 and picture.shape[2] != 3) or picture.size == 0:
            raise ValueError(f"image must have shape (H, W) or (H, W, 3), got {picture.shape}")
        if picture.dtype.kind == "f" and not np.isfinite(picture).all():
            raise ValueError("image must hold finite numbers, got NaN or infinity")
        return images.as_channels(images.to_unit_floats(picture), self.gray)

    def _say(self, text, style):
        self.status.value = f'<div style="{style};line-height:1.35;padding:2px 0">{text}</div>'

    def _show_limit(self):
        self._say(f"PNG, JPEG, ... up to {UPLOAD_LIMIT_MB} MB", _NOTE_STYLE)

    def _notes_text(self, name, array, notes):
        """What became of a picture that is used, in words."""
        h, w = array.shape[:2]
        lines = [f"Using <b>{html.escape(name)}</b>: {w} x {h} pixels (width x height), "
                 f"array shape {array.shape}."]
        if notes["shrunk_to"] is not None:
            (w0, h0), (w1, h1) = notes["size"], notes["shrunk_to"]
            lines.append(f"Your {w0} x {h0} picture was shrunk to {w1} x {h1} so the sliders stay quick.")
        if notes["changes"]:
            lines.append("Also: " + "; ".join(notes["changes"]) + ".")
        if min(h, w) < _SMALL_SIDE:
            lines.append(f"It is tiny: a kernel larger than {h} x {w} does not fit inside it, so most "
                         "settings will say they cannot work. A larger picture shows more.")
        return "<br>".join(lines)

    def _on_pick(self, change):
        """Words that fit the picture shown: "Using ..." only while your picture is the one picked."""
        if change["new"] == YOUR_PICTURE:
            if self._own_words:
                self._say(self._own_words, _NOTE_STYLE)
        elif YOUR_PICTURE in self.control.options:
            self._say(f"PNG, JPEG, ... up to {UPLOAD_LIMIT_MB} MB. Your picture is still in the image menu, "
                      f"as <b>{YOUR_PICTURE}</b>.", _NOTE_STYLE)
        else:
            self._show_limit()

    def _on_upload(self, change):
        files = change["new"]
        if not files:
            return
        try:
            self._take(files[0])
        except ValueError as problem:
            self._say(f"<b>{self._name(files[0])} was not used.</b> {html.escape(str(problem))}", _PROBLEM_STYLE)
        except Exception as problem:  # words in the explorer rather than a traceback in a log nobody reads
            self._say(f"<b>{self._name(files[0])} was not used:</b> something went wrong while reading it "
                      f"({html.escape(type(problem).__name__)}: {html.escape(str(problem))}).", _PROBLEM_STYLE)
        finally:
            # Forget the file: frees its bytes, and the next file (even the same one) is a change again.
            self.button.value = ()

    @staticmethod
    def _name(file):
        """The file's name for a headline, escaped for HTML."""
        return html.escape(str(file.get("name") or "Your file"))

    def _take(self, file):
        name = str(file.get("name") or "that file")
        content = file.get("content")
        size = len(content) if content is not None else int(file.get("size") or 0)
        if size > UPLOAD_LIMIT_BYTES:
            raise ValueError(f"That picture is {_megabytes(size)}; the limit is {UPLOAD_LIMIT_MB} MB. "
                             "Save a smaller copy (fewer pixels, or as JPEG) and pick that.")
        if not size:
            raise ValueError("That file is empty (0 bytes): it holds no picture.")
        try:
            array, notes = images.read_picture(bytes(content), 256)
        except ValueError as problem:
            message = str(problem)
            if message.startswith("That file is not a picture") and name.lower().endswith((".heic", ".heif")):
                message += (" iPhone HEIC photos: export it as JPEG first (Photos: File > Export), "
                            "or set the camera to 'Most Compatible'.")
            raise ValueError(message) from None
        self._cache[YOUR_PICTURE] = self._prepare(array)
        self._given[YOUR_PICTURE] = array
        self._own_words = self._notes_text(name, array, notes)
        self._say(self._own_words, _NOTE_STYLE)
        if YOUR_PICTURE not in self.control.options:
            self.control.options = list(self.control.options) + [YOUR_PICTURE]
        if self.control.value != YOUR_PICTURE:
            self.control.value = YOUR_PICTURE  # the explorers redraw, as for any image picked
        else:  # same name, new picture: tell the observers (sliders fit it, explorers redraw once)
            for hook in self.control.new_picture_hooks:
                hook()
            self.control.notify_change(traitlets.Bunch(name="value", old=YOUR_PICTURE, new=YOUR_PICTURE,
                                                       owner=self.control, type="change"))
