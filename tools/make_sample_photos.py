"""Make the sample photos shipped in conv2d_lib/data/ (and their PNG copies in assets/).

The photos come from scikit-image's bundled data (CC0 / public domain, see
assets/SOURCES.md). They are halved in size by 2x2 block averaging so that
lessons stay fast, and stored as compressed .npz so that loading them needs
NumPy alone. scikit-image is needed only to run this script:

    pip install scikit-image matplotlib && python tools/make_sample_photos.py
"""

from pathlib import Path

import matplotlib.image
import numpy as np
import skimage.data

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = {"cat": skimage.data.chelsea, "coffee": skimage.data.coffee}


def halve(photo):
    """2x2 block average of an (H, W, 3) uint8 photo, cropped to even sizes."""
    h, w = photo.shape[0] // 2 * 2, photo.shape[1] // 2 * 2
    blocks = photo[:h, :w].reshape(h // 2, 2, w // 2, 2, 3).astype(np.float64)
    return np.round(blocks.mean(axis=(1, 3))).astype(np.uint8)


def main():
    for name, load in PHOTOS.items():
        small = halve(load())
        np.savez_compressed(ROOT / "conv2d_lib" / "data" / f"{name}.npz", image=small)
        matplotlib.image.imsave(ROOT / "assets" / f"photo_{name}.png", small)
        print(f"{name}: {small.shape} {small.dtype}")


if __name__ == "__main__":
    main()
