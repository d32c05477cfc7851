"""Make the pictures in assets/ that the README shows, from the package's own code.

    python tools/make_pictures.py          # write them
    python tools/make_pictures.py --check  # CI: fail if a picture no longer matches the code

The check re-renders each picture and compares pixels with a small tolerance
(font rendering differs slightly between machines), so a change to a lesson's
figure that is not carried into assets/ is caught.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "assets"


def explorer_picture(factory, **settings):
    """PNG bytes of an explorer's figure after setting its controls."""
    explorer = factory()
    if settings:
        explorer.set(**settings)
    return bytes(explorer.picture.value)


def figure_png(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def stacked_results_figure(n_layers, padding):
    """The original project's results: the photo through n stacked 3x3 layers (stride 1), seed 0."""
    from conv2d_lib import images
    from conv2d_lib.nn.conv_layer import make_stack, run_stack
    from conv2d_lib.plot.stacking import stack_figure

    photo = images.photo("cat") / 255.0
    outputs = run_stack(photo, make_stack(n_layers, 3, 1, padding, seed=0))
    title = f"{n_layers} Conv2D layers: kernel_size = 3, stride = 1, padding = {padding}"
    return stack_figure(photo, outputs, title)


def stacked_results(n_layers, padding):
    return figure_png(stacked_results_figure(n_layers, padding))


def red_channel_example_figure():
    """The original project's intermediate output: the red channel alone, kernel_size 3, stride 1, padding 0."""
    from conv2d_lib import conv2d, images
    from conv2d_lib.nn.conv_layer import Conv2D
    from conv2d_lib.plot.stacking import single_channel_figure

    photo = images.photo("cat") / 255.0
    kernel = Conv2D(3, 1, 3, seed=0).weights[0, 0]
    red = photo[:, :, 0]
    title = "The red channel alone: kernel_size = 3, stride = 1, padding = 0"
    return single_channel_figure(red, kernel, conv2d(red, kernel), title)


def red_channel_example():
    return figure_png(red_channel_example_figure())


def learned_kernels_figure(seed=0, digit=3):
    """Lesson 12's network trained with the lesson's settings: its 16 learned first-layer kernels and
    the feature maps they make of the first test picture of ``digit``."""
    from conv2d_lib.nn.digits import predict
    from conv2d_lib.plot.tiny_cnn import INK_MAX, DigitFigure
    from conv2d_lib.widgets.tiny_cnn import _lesson_history, _map_limit, first_layer_maps

    history = _lesson_history(seed)  # train(seed=seed) with the lesson's settings, once per process
    model, data = history["model"], history["data"]
    index = int(np.flatnonzero(data.y_test == digit)[0])
    picture = data.x_test[index:index + 1]
    figure = DigitFigure(model.layers[0].weights, _map_limit(model, data), probabilities=True)
    figure.show(picture[0, :, :, 0] * INK_MAX, first_layer_maps(model, picture)[0],
                f"test picture {index}: a {digit}", predict(model, picture)[0])
    return figure.fig


def learned_kernels():
    return figure_png(learned_kernels_figure())


def pictures():
    """Name -> function returning PNG bytes."""
    from conv2d_lib.widgets import explore_padding

    return {
        "explorer_padding.png": lambda: explorer_picture(explore_padding, image="cat", padding=6,
                                                         kernel="sobel_x", padding_mode="zeros"),
        "conv2d_low.png": lambda: stacked_results(2, 0),
        "conv2d_high.png": lambda: stacked_results(4, 1),
        "intermediate.png": red_channel_example,
        "learned_kernels.png": learned_kernels,
    }


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    stale = []
    for name, make in pictures().items():
        png, path = make(), ASSETS / name
        if args.check:
            if not path.exists():
                stale.append(f"{name}: missing")
                continue
            new, old = pixels(png), pixels(path.read_bytes())
            if new.shape != old.shape:
                stale.append(f"{name}: size {old.shape[:2]} in assets/, {new.shape[:2]} from the code")
            elif np.mean(np.abs(new - old) > 40) > 0.01:  # more than 1% of pixels clearly differ
                stale.append(f"{name}: {np.mean(np.abs(new - old) > 40):.1%} of pixels differ")
        else:
            path.write_bytes(png)
            print(f"wrote assets/{name}")
    for line in stale:
        print("out of date:", line)
    if stale:
        print("run: python tools/make_pictures.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
