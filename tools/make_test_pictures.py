"""Write tests/pictures/: small generated pictures of every kind a learner may bring, and what each must load as.

Every file is made here from numbers (nothing is downloaded), and ``expected.json``
says, for each, what ``images.load_image`` must give: shape, dtype and value range,
or the words of the refusal. ``tests/test_pictures.py`` loads every file and checks it.

    python tools/make_test_pictures.py          # rewrite the folder
    python tools/make_test_pictures.py --check  # fail if a file is missing or unlisted
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

FOLDER = Path(__file__).resolve().parents[1] / "tests" / "pictures"
_ORIENTATION_TAG = 0x0112


def _saved(picture, fmt, **options):
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width, height):
    """A PNG whose header claims ``width x height`` RGB pixels, with a few bytes of pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + _chunk(b"IEND", b""))


def _gradient(h, w):
    rows, cols = np.mgrid[0:h, 0:w]
    return np.stack([rows * 255 // (h - 1), cols * 255 // (w - 1), np.full((h, w), 128)], axis=-1).astype(np.uint8)


def _loaded(shape, low, high, dtype="uint8", tolerance=0):
    return {"shape": list(shape), "dtype": dtype, "min": low, "max": high, "tolerance": tolerance}


def _refused(*words):
    return {"refused": list(words)}


def pictures():
    """``{file name: (bytes, what loading must give)}`` for every test picture."""
    found = {}
    found["rgb.png"] = (_saved(Image.fromarray(_gradient(40, 60)), "PNG"), _loaded((40, 60, 3), 0, 255))
    found["rgb.jpg"] = (_saved(Image.fromarray(_gradient(40, 60)), "JPEG", quality=95),
                        _loaded((40, 60, 3), 0, 255, tolerance=8))
    found["rgb.bmp"] = (_saved(Image.fromarray(_gradient(40, 60)), "BMP"), _loaded((40, 60, 3), 0, 255))
    found["rgb.webp"] = (_saved(Image.fromarray(_gradient(40, 60)), "WEBP", lossless=True),
                         _loaded((40, 60, 3), 0, 255))
    ramp8 = np.tile(np.arange(0, 256, 4, dtype=np.uint8), (8, 1))                       # 8 x 64, 0..252
    found["grey.png"] = (_saved(Image.fromarray(ramp8), "PNG"), _loaded((8, 64), 0, 252))
    # Grey with alpha: grey stays 2-D; a fully transparent pixel shows the white behind it.
    grey_alpha = Image.fromarray(np.stack([ramp8, np.where(ramp8 < 128, 255, 0).astype(np.uint8)], axis=-1), "LA")
    found["grey_alpha.png"] = (_saved(grey_alpha, "PNG"), _loaded((8, 64), 0, 255))
    rgba = np.dstack([_gradient(40, 60), np.full((40, 60), 255, np.uint8)])
    rgba[:, 30:, 3] = 0                                                                   # right half transparent
    found["rgba.png"] = (_saved(Image.fromarray(rgba, "RGBA"), "PNG"), _loaded((40, 60, 3), 0, 255))
    # 16 bits: a 0..65535 ramp reads 0..255 (scaled by the type's range, not clipped to 82..255).
    ramp16 = np.linspace(0, 65535, 64 * 8).astype(np.uint16).reshape(8, 64)
    found["grey16.png"] = (_saved(Image.fromarray(ramp16), "PNG"), _loaded((8, 64), 0, 255))
    dark16 = np.full((8, 8), 2000, np.uint16)                                             # 2000 / 65535 of white
    found["dark16.png"] = (_saved(Image.fromarray(dark16), "PNG"), _loaded((8, 8), 8, 8, tolerance=0))
    # Float and 32-bit integer TIFFs: put on 0..255 by their values' range.
    ramp_f = np.linspace(0.0, 1.0, 64 * 8, dtype=np.float32).reshape(8, 64)
    found["float.tif"] = (_saved(Image.fromarray(ramp_f), "TIFF"), _loaded((8, 64), 0, 255))
    ramp_i = (np.arange(64 * 8, dtype=np.int32) * 1000).reshape(8, 64)
    found["int32.tif"] = (_saved(Image.fromarray(ramp_i), "TIFF"), _loaded((8, 64), 0, 255))
    # Palette, CMYK, an animation (its first frame), a 1-bit picture.
    found["palette.gif"] = (_saved(Image.fromarray(_gradient(40, 60)).convert("P"), "GIF"),
                            _loaded((40, 60, 3), 0, 255, tolerance=12))
    found["cmyk.jpg"] = (_saved(Image.fromarray(_gradient(40, 60)).convert("CMYK"), "JPEG", quality=95),
                         _loaded((40, 60, 3), 0, 255, tolerance=12))
    frames = [Image.new("RGB", (20, 10), colour) for colour in ((250, 0, 0), (0, 0, 250))]
    found["animated.gif"] = (_saved(frames[0], "GIF", save_all=True, append_images=frames[1:]),
                             _loaded((10, 20, 3), 0, 250, tolerance=6))
    found["one_bit.png"] = (_saved(Image.fromarray(ramp8 > 100), "PNG"), _loaded((8, 64), 0, 255))
    # A phone photo stored sideways: 60 x 40 pixels with EXIF orientation 6 is upright 40 x 60 (W x H).
    sideways = Image.fromarray(_gradient(40, 60))
    exif = sideways.getexif()
    exif[_ORIENTATION_TAG] = 6
    found["phone_orientation_6.jpg"] = (_saved(sideways, "JPEG", quality=95, exif=exif.tobytes()),
                                        _loaded((60, 40, 3), 0, 255, tolerance=8))
    # Thin and tiny: shrunk to 256 on the longer side, never to 0 pixels across.
    found["thin_1000x3.png"] = (_saved(Image.new("RGB", (3, 1000), (10, 20, 30)), "PNG"),
                                _loaded((250, 1, 3), 10, 30))
    found["thin_5000x1.png"] = (_saved(Image.new("L", (5000, 1), 77), "PNG"), _loaded((1, 250), 77, 77))
    found["tiny_1x1.png"] = (_saved(Image.new("RGB", (1, 1), (200, 100, 0)), "PNG"), _loaded((1, 1, 3), 0, 200))
    # Refused in words, from the header, before any decoding.
    found["bomb_10_gigapixels.png"] = (_png_claiming(100_000, 100_000), _refused("enormous", "10,000,000,000"))
    found["claims_169_megapixels.png"] = (_png_claiming(13_000, 13_000), _refused("13,000 x 13,000", "megapixels"))
    found["not_a_picture.png"] = (b"these are words, not pixels\n" * 4, _refused("not a picture"))
    noise = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)  # does not compress
    whole = _saved(Image.fromarray(noise), "PNG")
    found["damaged.png"] = (whole[: len(whole) // 2], _refused("damaged", "cut short"))
    found["empty.png"] = (b"", _refused("empty"))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a picture is missing or unlisted")
    args = parser.parse_args(argv)
    made = pictures()
    expected = {name: outcome for name, (_, outcome) in sorted(made.items())}
    listing = json.dumps(expected, indent=1) + "\n"
    if args.check:
        on_disk = {p.name for p in FOLDER.iterdir() if p.name != "expected.json"}
        stored = (FOLDER / "expected.json").read_text() if (FOLDER / "expected.json").exists() else ""
        problems = sorted(set(made) ^ on_disk) + (["expected.json"] if stored != listing else [])
        if problems:
            sys.exit(f"tests/pictures is out of date ({', '.join(problems)}): run python tools/make_test_pictures.py")
        return
    FOLDER.mkdir(exist_ok=True)
    for old in FOLDER.iterdir():
        old.unlink()
    for name, (data, _) in made.items():
        (FOLDER / name).write_bytes(data)
    (FOLDER / "expected.json").write_text(listing)
    print(f"wrote {len(made)} pictures and expected.json to {FOLDER}")


if __name__ == "__main__":
    main()
