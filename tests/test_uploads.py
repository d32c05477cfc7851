"""Pictures learners bring, and bad settings: each gets the right array or clear words.

The pictures are made here with Pillow (a few PNG chunks are written by hand where Pillow
will not write them: 16-bit RGB, and headers that claim more pixels than the file holds).
Expected arrays come from an independent route: NumPy arithmetic on the pixels written, or
Pillow's own reference operation (``ImageOps.exif_transpose``, ``Image.convert``).
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image, ImageOps

from conv2d_lib import images
from conv2d_lib import widgets as explorers
from conv2d_lib.widgets._sources import UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_MB, YOUR_PICTURE, ImageChooser

RNG = np.random.default_rng(7)


# ---------------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------------

def saved(picture, fmt="PNG", **options):
    """The bytes of ``picture`` (a Pillow image or a uint8 array) saved as ``fmt``."""
    if isinstance(picture, np.ndarray):
        picture = Image.fromarray(picture)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_by_hand(width, height, bit_depth, colour_type, rows=b""):
    """A PNG written chunk by chunk: any header, and the (possibly too short) pixel data given."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def gradient(h, w):
    """A smooth colour picture (JPEG keeps it well), uint8 (h, w, 3)."""
    rows, cols = np.mgrid[0:h, 0:w]
    return np.stack([rows * 255 // max(h - 1, 1), cols * 255 // max(w - 1, 1),
                     (rows + cols) * 255 // max(h + w - 2, 1)], axis=-1).astype(np.uint8)


def block_means(array, factor):
    """Means over factor x factor blocks, edge blocks over the pixels they have (loops: a reference)."""
    h, w = array.shape[:2]
    out = np.zeros((-(-h // factor), -(-w // factor)) + array.shape[2:])
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = array[i * factor:(i + 1) * factor, j * factor:(j + 1) * factor].mean(axis=(0, 1))
    return out


# ---------------------------------------------------------------------------------------------
# load_image: files that are not pictures, or too large to decode
# ---------------------------------------------------------------------------------------------

def test_a_file_that_is_not_a_picture_is_named_so():
    with pytest.raises(ValueError, match=r"not a picture Pillow can read \(PNG, JPEG"):
        images.load_image(b"%PDF-1.7 a text, not a picture")


def test_a_damaged_picture_says_it_is_damaged():
    whole = saved(RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8))
    with pytest.raises(ValueError, match="damaged or cut short"):
        images.load_image(whole[: len(whole) // 2])


def test_a_decompression_bomb_is_refused_in_words():
    bomb = png_by_hand(100_000, 100_000, 8, 0)  # claims 10**10 pixels in 80 bytes
    assert len(bomb) < 100
    with pytest.raises(ValueError, match=r"enormous \(10,000,000,000 pixels\)") as caught:
        images.load_image(bomb)
    assert not isinstance(caught.value, Image.DecompressionBombError)


@pytest.mark.parametrize("width, height", [(9000, 9900),     # just under Pillow's limit
                                           (10000, 10000)])  # over it: Pillow only warns
def test_a_huge_claim_is_refused_before_decoding(width, height):
    # The header claims the pixels, the data holds one row: decoding would fail as "damaged",
    # so the words about size show that nothing was decoded.
    fake = png_by_hand(width, height, 8, 0, rows=b"\x00" * (width + 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DecompressionBombWarning either
        with pytest.raises(ValueError, match=rf"{width:,} x {height:,} pixels .* up to 25 megapixels"):
            images.load_image(fake)


def test_a_large_jpeg_is_decoded_at_an_eighth_of_its_size():
    # 30 megapixels: more than a PNG may have, but a JPEG is decoded straight at 1/8 scale.
    width, height = 6000, 5000
    picture = Image.fromarray(gradient(height // 10, width // 10)).resize((width, height))
    array, notes = images.read_picture(saved(picture, "JPEG", quality=90), 256)
    assert notes["decoded_size"] == (750, 625)
    assert notes["size"] == (width, height) and notes["shrunk_to"] == (250, 209)
    assert array.shape == (209, 250, 3)
    reference = block_means(np.asarray(picture, dtype=float), 24)  # 6000 / 250 = 24
    assert np.abs(array - reference).mean() < 2.0


def test_a_large_png_is_shrunk_by_block_means():
    picture = RNG.integers(0, 256, (3000, 4000, 3), dtype=np.uint8)
    array, notes = images.read_picture(saved(picture), 256)
    assert notes["size"] == (4000, 3000) and notes["shrunk_to"] == (250, 188)
    assert array.shape == (188, 250, 3) and array.dtype == np.uint8
    assert np.abs(array - block_means(picture[:, :, :], 16)).max() <= 0.5 + 1e-9


def test_max_size_is_checked():
    with pytest.raises(TypeError, match="max_size"):
        images.load_image(saved(np.zeros((4, 4), np.uint8)), max_size=2.5)
    with pytest.raises(ValueError, match="max_size"):
        images.load_image(saved(np.zeros((4, 4), np.uint8)), max_size=0)


# ---------------------------------------------------------------------------------------------
# load_image: the kinds of picture learners bring
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", range(1, 9))
def test_phone_photos_are_turned_upright(orientation):
    picture = Image.fromarray(gradient(30, 50))
    exif = Image.Exif()
    exif[0x0112] = orientation
    data = saved(picture, "JPEG", quality=95, exif=exif.tobytes())
    array, notes = images.read_picture(data, 256)
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB"))
    np.testing.assert_array_equal(array, expected)
    assert notes["size"] == (expected.shape[1], expected.shape[0])
    assert ("upright" in " ".join(notes["changes"])) == (orientation != 1)


def test_an_upright_photo_is_shrunk_with_its_shown_size():
    exif = Image.Exif()
    exif[0x0112] = 6  # a portrait photo stored sideways
    data = saved(Image.fromarray(gradient(300, 400)), "JPEG", exif=exif.tobytes())
    array, notes = images.read_picture(data, 100)
    assert notes["size"] == (300, 400) and notes["shrunk_to"] == (75, 100)
    assert array.shape == (100, 75, 3)


def test_16_bit_grey_is_scaled_not_clipped():
    levels = (np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)  # 0 to 65520
    array = images.load_image(saved(levels))
    assert array.ndim == 2 and array.dtype == np.uint8
    np.testing.assert_array_equal(array, np.round(levels / 257.0).astype(np.uint8))


def test_16_bit_rgb_keeps_its_colours():
    levels = RNG.integers(0, 65536, (5, 6, 3)).astype(">u2")
    rows = b"".join(b"\x00" + levels[r].tobytes() for r in range(5))
    array = images.load_image(png_by_hand(6, 5, 16, 2, rows))
    assert array.shape == (5, 6, 3)
    assert np.abs(array.astype(float) - levels / 257.0).max() <= 1.0


def test_palette_pictures_and_their_transparency():
    colours = RNG.integers(0, 256, (4, 3), dtype=np.uint8)
    indices = RNG.integers(0, 4, (8, 9), dtype=np.uint8)
    picture = Image.fromarray(indices, mode="P")
    picture.putpalette(colours.ravel().tolist() + [0] * (768 - 12))
    np.testing.assert_array_equal(images.load_image(saved(picture)), colours[indices])
    with_hole = images.load_image(saved(picture, transparency=2))
    expected = colours[indices].copy()
    expected[indices == 2] = 255  # transparent: shown on white
    np.testing.assert_array_equal(with_hole, expected)


def test_transparent_pictures_are_shown_on_white():
    rgba = RNG.integers(0, 256, (6, 7, 4), dtype=np.uint8)
    array, notes = images.read_picture(saved(rgba), 256)
    alpha = rgba[..., 3:] / 255.0
    expected = rgba[..., :3] * alpha + 255.0 * (1.0 - alpha)
    assert array.shape == (6, 7, 3)
    assert np.abs(array - expected).max() <= 0.5 + 1e-9
    assert "white" in " ".join(notes["changes"])
    la = RNG.integers(0, 256, (6, 7, 2), dtype=np.uint8)
    grey = images.load_image(saved(Image.fromarray(la, mode="LA")))
    expected = la[..., 0] * (la[..., 1] / 255.0) + 255.0 * (1.0 - la[..., 1] / 255.0)
    assert grey.shape == (6, 7) and np.abs(grey - expected).max() <= 0.5 + 1e-9


def test_grey_and_black_and_white_pictures_stay_2d():
    grey = RNG.integers(0, 256, (5, 8), dtype=np.uint8)
    np.testing.assert_array_equal(images.load_image(saved(grey)), grey)
    bits = RNG.integers(0, 2, (5, 8)).astype(bool)
    np.testing.assert_array_equal(images.load_image(saved(Image.fromarray(bits))), bits * 255)


def test_cmyk_is_turned_into_rgb():
    cmyk = Image.fromarray(RNG.integers(0, 256, (16, 16, 4), dtype=np.uint8), mode="CMYK")
    data = saved(cmyk, "JPEG", quality=95)
    array, notes = images.read_picture(data, 256)
    np.testing.assert_array_equal(array, np.asarray(Image.open(io.BytesIO(data)).convert("RGB")))
    assert "CMYK" in " ".join(notes["changes"])


def test_an_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (10, 6), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    data = saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    array, notes = images.read_picture(data, 256)
    assert array.shape == (6, 10, 3)
    np.testing.assert_array_equal(array, np.broadcast_to(np.array([255, 0, 0], np.uint8), (6, 10, 3)))
    assert "3 frames" in " ".join(notes["changes"])


def test_a_dark_16_bit_picture_stays_dark():
    levels = np.full((3, 4), 200, np.uint16)  # 200 of 65535: nearly black
    np.testing.assert_array_equal(images.load_image(saved(levels)), np.ones((3, 4), np.uint8))


def test_a_float_tiff_is_put_on_0_to_255():
    values = np.linspace(-1.0, 3.0, 20, dtype=np.float32).reshape(4, 5)
    array, notes = images.read_picture(saved(Image.fromarray(values, mode="F"), "TIFF"), 256)
    np.testing.assert_array_equal(array, np.round((values - -1.0) / 4.0 * 255.0).astype(np.uint8))
    assert "stretched" in " ".join(notes["changes"])


def test_a_1x1_picture_loads():
    assert images.load_image(saved(np.full((1, 1, 3), 9, np.uint8))).tolist() == [[[9, 9, 9]]]


# ---------------------------------------------------------------------------------------------
# The upload button, in every explorer that has one
# ---------------------------------------------------------------------------------------------

def parts(widget, kind):
    """Every widget of ``kind`` in the tree under ``widget``, in order."""
    found = [widget] if isinstance(widget, kind) else []
    for child in getattr(widget, "children", ()):
        found += parts(child, kind)
    return found


def send(button, data, name="picture.png", kind="image/png"):
    """A file arriving from the browser: the state message the front end sends, deserialised."""
    button.set_state({"value": [{"name": name, "type": kind, "size": len(data), "content": memoryview(data),
                                 "last_modified": 1_700_000_000_000}]})


def status_of(explorer):
    boxes = [w for w in parts(explorer.widget, widgets.HTML) if "conv2d-upload-status" in w._dom_classes]
    assert len(boxes) == 1, "the explorer shows one upload status next to its button"
    return boxes[0]


FACTORIES = [getattr(explorers, name) for name in explorers.__all__ if name.startswith("explore_")]
# Without an upload: the groups explorer counts channels (no picture), the learning one learns on one fixed photo,
# lesson 12's show 8 x 8 digits.
NO_UPLOAD = {explorers.explore_groups, explorers.explore_learning, explorers.explore_feature_maps,
             explorers.explore_drawing, explorers.explore_training}
UPLOADERS = [f for f in FACTORIES if f not in NO_UPLOAD]
GOOD = saved(gradient(40, 60))
OTHER = saved(RNG.integers(0, 256, (40, 60, 3), dtype=np.uint8))
TINY = saved(np.full((1, 1, 3), 200, np.uint8))
HUGE = bytes(36_000_000)


def test_every_explorer_is_tested():
    assert len(FACTORIES) == 22


@pytest.mark.parametrize("factory", UPLOADERS, ids=lambda f: f.__name__)
def test_every_upload_gets_words_and_the_button_keeps_working(factory):
    explorer = factory()
    buttons = parts(explorer.widget, widgets.FileUpload)
    assert len(buttons) == 1
    button, status = buttons[0], status_of(explorer)
    assert f"up to {UPLOAD_LIMIT_MB} MB" in status.value  # the limit, said before any upload
    image = explorer.controls["image"]

    send(button, b"just some text\n", "notes.txt", "text/plain")
    assert "<b>notes.txt was not used.</b> That file is not a picture Pillow can read (PNG, JPEG" in status.value
    assert button.value == ()  # forgotten: the next file is a change again
    assert explorer.last_error is None

    send(button, HUGE, "holiday.jpg", "image/jpeg")
    assert f"That picture is 36 MB; the limit is {UPLOAD_LIMIT_MB} MB" in status.value
    assert button.value == ()

    send(button, TINY, "dot.png")
    assert "1 x 1 pixels" in status.value and "tiny" in status.value
    assert image.value == YOUR_PICTURE
    assert explorer.last_error is None, f"a 1 x 1 picture broke the explorer: {explorer.last_error!r}"
    assert explorer.message.value  # the explorer says something: its numbers, or why they cannot be

    before, renders = bytes(explorer.picture.value), len(explorer.timings_ms)
    send(button, GOOD, "good.png")
    assert "Using <b>good.png</b>: 60 x 40 pixels" in status.value
    assert bytes(explorer.picture.value) != before and explorer.last_error is None
    assert len(explorer.timings_ms) == renders + 1, "one upload, one redraw (no detour via another image)"
    drawn = bytes(explorer.picture.value)
    send(button, OTHER, "other.png")
    assert bytes(explorer.picture.value) != drawn
    send(button, b"junk", "junk.png")
    renders = len(explorer.timings_ms)
    send(button, GOOD, "good.png")  # the same file once more: taken again
    assert "Using <b>good.png</b>" in status.value and len(explorer.timings_ms) == renders + 1
    if factory is not explorers.explore_timing:  # which re-times on every redraw
        assert bytes(explorer.picture.value) == drawn


def test_the_words_follow_the_picture_picked():
    """"Using good.png" only while your picture is shown; picking it again says so again."""
    chooser = ImageChooser(gray=False)
    send(chooser.button, GOOD, "good.png")
    assert chooser.control.value == YOUR_PICTURE and "Using <b>good.png</b>" in chooser.status.value
    chooser.control.value = "cat"
    assert "Using" not in chooser.status.value and "still in the image menu" in chooser.status.value
    assert f"up to {UPLOAD_LIMIT_MB} MB" in chooser.status.value
    chooser.control.value = YOUR_PICTURE
    assert "Using <b>good.png</b>: 60 x 40 pixels" in chooser.status.value
    send(chooser.button, b"junk", "junk.png")  # a failed upload is said until the next pick
    assert "junk.png was not used" in chooser.status.value and chooser.control.value == YOUR_PICTURE
    chooser.control.value = "cat"
    assert "not used" not in chooser.status.value and "still in the image menu" in chooser.status.value


def test_a_downscale_is_said():
    chooser = ImageChooser(gray=False)
    photo = saved(gradient(3000, 4000), "JPEG")  # a 4000 x 3000 photo, as a camera saves it
    assert len(photo) < UPLOAD_LIMIT_BYTES
    send(chooser.button, photo, "big.jpg", "image/jpeg")
    assert "Your 4000 x 3000 picture was shrunk to 250 x 188 so the sliders stay quick" in chooser.status.value
    assert chooser.array(YOUR_PICTURE).shape == (188, 250, 3)


def test_a_picture_just_under_the_limit_is_taken_and_one_over_is_not():
    chooser = ImageChooser(gray=True)
    picture = saved(RNG.integers(0, 256, (1200, 1200, 3), dtype=np.uint8))  # about 4.3 MB
    assert len(picture) < UPLOAD_LIMIT_BYTES
    padding = UPLOAD_LIMIT_BYTES - len(picture)
    send(chooser.button, picture + bytes(padding), "just_under.png")  # Pillow ignores bytes after IEND
    assert "Using" in chooser.status.value
    send(chooser.button, picture + bytes(padding + 1), "just_over.png")
    assert "not used" in chooser.status.value and "the limit is 8 MB" in chooser.status.value


def test_an_iphone_photo_gets_a_hint():
    chooser = ImageChooser(gray=True)
    send(chooser.button, b"\x00\x00\x00\x18ftypheic" + bytes(40), "IMG_0001.HEIC", "image/heic")
    assert "not a picture Pillow can read" in chooser.status.value and "JPEG" in chooser.status.value


def test_dark_uploads_are_scaled_by_their_type_not_their_values():
    chooser = ImageChooser(gray=True)
    send(chooser.button, saved(np.full((4, 4), 2, np.uint8)), "dark.png")
    np.testing.assert_allclose(chooser.array(YOUR_PICTURE), 2 / 255.0)


def test_own_picture_from_a_path_says_what_became_of_it(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(saved(gradient(600, 300)))
    chooser = ImageChooser(gray=False, own=path)
    assert chooser.control.value == YOUR_PICTURE and chooser.array(YOUR_PICTURE).shape == (200, 100, 3)
    assert "Your 300 x 600 picture was shrunk to 100 x 200" in chooser.status.value
    with pytest.raises(ValueError, match="image must have shape"):
        ImageChooser(gray=False, own=np.zeros((4, 4, 2)))
    with pytest.raises(TypeError, match="image must be"):
        ImageChooser(gray=False, own=[[1, 2], [3, 4]])


# ---------------------------------------------------------------------------------------------
# Programmatic settings: words, never a silent clamp
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def playground():
    return explorers.explore_playground()


def test_a_value_outside_a_slider_is_refused(playground):
    with pytest.raises(ValueError, match=r"stride must be from 1 to 4 .* got 10"):
        playground.set(stride=10)
    assert playground.controls["stride"].value == 1


@pytest.mark.parametrize("values, error, words", [
    ({"strid": 2}, TypeError, r"no control called 'strid'; its controls are image, kernel"),
    ({"kernel": "sobelx"}, ValueError, r"kernel must be one of 'identity', .*'custom'; got 'sobelx'"),
    ({"stride": 2.5}, TypeError, r"stride must be a whole number \(int\) from 1 to 4, got 2.5"),
    ({"stride": True}, TypeError, r"stride must be a whole number"),
    ({"same": "yes"}, TypeError, r"same must be True or False, got 'yes'"),
    ({"bias": float("nan")}, ValueError, r"bias must be a finite number"),
    ({"bias": 3.0}, ValueError, r"bias must be from -2 to 2 .* got 3"),
    ({"bias": "0.5"}, TypeError, r"bias must be a number from -2.0 to 2.0"),
    ({"padding_mode": "zero"}, ValueError, r"padding_mode must be one of 'zeros', "),
])
def test_bad_settings_name_the_control_value_and_what_is_accepted(playground, values, error, words):
    before = playground.values()
    with pytest.raises(error, match=words):
        playground.set(**values)
    assert playground.values() == before


def test_a_failed_set_leaves_every_control_where_it_was(playground):
    before, drawn = playground.values(), bytes(playground.picture.value)
    with pytest.raises(ValueError, match="stride"):
        playground.set(padding=3, kernel="box_blur", stride=9)
    assert playground.values() == before
    assert bytes(playground.picture.value) == drawn
    playground.set(padding=2, stride=2)  # good values still work
    assert playground.controls["padding"].value == 2 and playground.controls["stride"].value == 2


def test_steps_and_labelled_options():
    stacking = explorers.explore_stacking()
    with pytest.raises(ValueError, match=r"kernel_size must be one of 1, 3, 5, 7 \(it moves in steps of 2\), got 4"):
        stacking.set(kernel_size=4)
    with pytest.raises(ValueError, match=r"kernels must be one of False \('random \(He\)'\), True \('edge detectors'\)"):
        stacking.set(kernels="edge detectors")
    with pytest.raises(ValueError, match="kernels must be one of"):
        stacking.set(kernels=1)  # not taken for True
    stacking.set(kernels=True, kernel_size=5)
    assert stacking.values()["kernels"] is True


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_every_slider_refuses_one_past_its_end(factory):
    explorer = factory()
    for name, control in explorer.controls.items():
        if isinstance(control, (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedFloatText)):
            with pytest.raises(ValueError, match=rf"{name} must be from"):
                explorer.set(**{name: control.max + 1})
            with pytest.raises(ValueError, match=rf"{name} must be from"):
                explorer.set(**{name: control.min - 1})
        elif isinstance(control, widgets.Dropdown):
            with pytest.raises(ValueError, match=rf"{name} must be one of"):
                explorer.set(**{name: "no such option"})


def test_an_unexpected_fault_is_shown_in_words():
    import matplotlib.pyplot as plt

    figure = plt.figure()
    slider = widgets.IntSlider(value=0, min=0, max=2)

    def update(n):
        if n == 2:
            return [][n]  # a fault of the library, as a learner would meet one
        return f"n = {n}"

    explorer = explorers.Explorer(update, {"n": slider}, figure)
    slider.value = 2  # as the browser would set it
    assert "Something went wrong in the explorer" in explorer.message.value
    assert "IndexError" in explorer.message.value and isinstance(explorer.last_error, IndexError)
    slider.value = 1
    assert explorer.message.value == "n = 1"
    plt.close(figure)


def test_the_limit_said_in_the_docs_is_the_limit_the_button_keeps():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    default_websocket_limit = 10 * 2**20  # tornado's websocket_max_message_size when none is set
    assert UPLOAD_LIMIT_BYTES + 64 * 1024 < default_websocket_limit  # room for the message's envelope
    readme = (root / "README.md").read_text()
    start_here = (root / "notebooks" / "00_start_here.ipynb").read_text()
    for text in (readme, start_here):
        assert f"of up to {UPLOAD_LIMIT_MB} MB" in text
    # make lab lets the server take more than the default, so a file over the limit gets words.
    served = re.search(r'websocket_max_message_size": (\d+)', (root / "Makefile").read_text())
    assert served and int(served.group(1)) == 64 * 2**20 and "64 MiB" in readme


def test_sliders_fit_a_new_picture_under_the_same_name():
    explorer = explorers.explore_cross_correlation()
    button = parts(explorer.widget, widgets.FileUpload)[0]
    send(button, GOOD, "good.png")  # 40 x 60: a 3 x 3 kernel gives 38 x 58 outputs
    explorer.set(row=37, col=57)
    send(button, saved(RNG.integers(0, 256, (5, 6, 3), dtype=np.uint8)), "small.png")
    assert (explorer.controls["row"].max, explorer.controls["col"].max) == (2, 3)
    assert explorer.last_error is None and "out[2, 3]" in explorer.message.value


def test_a_missing_file_or_sample_is_named():
    with pytest.raises(ValueError, match=r"There is no file 'my_photo.jpg' in .* check its name"):
        explorers.explore_padding(image="my_photo.jpg")
    with pytest.raises(ValueError, match=r"default must be one of 'cat', 'coffee'.* got 'catt'"):
        explorers.explore_padding(default="catt")
