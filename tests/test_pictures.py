"""Every picture in tests/pictures/ (made by tools/make_test_pictures.py) loads as expected.json says.

Each kind a learner may bring: 16-bit, float and 32-bit TIFFs, grey with alpha,
palettes, CMYK, animations, phone photos stored sideways, thin and tiny pictures,
and files that must be refused in words (a decompression bomb's header, a claim just
under Pillow's limit, a damaged, an empty and a not-a-picture file).
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conv2d_lib import images
from conv2d_lib.widgets._sources import ImageChooser
from tests.test_uploads import send

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "tests" / "pictures"
EXPECTED = json.loads((FOLDER / "expected.json").read_text())


def test_the_folder_is_what_the_script_makes():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "make_test_pictures.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_picture_loads_as_expected(name):
    want = EXPECTED[name]
    if "refused" in want:
        with pytest.raises(ValueError) as caught:
            images.load_image(str(FOLDER / name))
        for word in want["refused"]:
            assert word in str(caught.value), f"{word!r} missing from: {caught.value}"
        return
    picture = images.load_image(str(FOLDER / name))
    assert picture.shape == tuple(want["shape"])
    assert picture.dtype == np.dtype(want["dtype"])
    assert abs(int(picture.min()) - want["min"]) <= want["tolerance"]
    assert abs(int(picture.max()) - want["max"]) <= want["tolerance"]


def test_the_values_inside_follow_the_picture():
    """Beyond the ranges: where a picture's pixels land, checked against how each file was made."""
    ramp16 = images.load_image(str(FOLDER / "grey16.png"))
    assert np.all(np.diff(ramp16[0].astype(int)) >= 0) and len(np.unique(ramp16)) > 60  # a ramp, not clipped
    rgba = images.load_image(str(FOLDER / "rgba.png"))
    assert np.all(rgba[:, 30:] == 255) and not np.all(rgba[:, :30] == 255)               # transparent: white
    upright = images.load_image(str(FOLDER / "phone_orientation_6.jpg"))
    stored = images.load_image(str(FOLDER / "rgb.jpg"))
    np.testing.assert_allclose(upright.astype(int), np.rot90(stored, -1).astype(int), atol=12)
    first = images.load_image(str(FOLDER / "animated.gif"))
    assert first[..., 0].mean() > 200 and first[..., 2].mean() < 20                     # the red first frame


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_picture_through_the_upload_button_gets_words(name):
    chooser = ImageChooser(gray=False)
    data = (FOLDER / name).read_bytes()
    send(chooser.button, data, name=name)
    words = chooser.status.value
    assert ("was not used" in words) == ("refused" in EXPECTED[name]), words
    assert "went wrong" not in words, words
