"""Lesson 04 (stride): the window geometry and the explorer's marks (checkers: test_checkers_lessons.py)."""

import numpy as np
import pytest

from conv2d_lib import conv2d, conv2d_loops, images, output_size
from conv2d_lib.geometry import never_covered, rows_read, tap_offsets, window_reach, window_starts

SETTINGS = [(n, k, s, p, d) for n in (1, 4, 5, 7, 8, 10, 13) for k in (1, 2, 3, 5) for s in (1, 2, 3, 4)
            for p in (0, 1, 3) for d in (1, 2, 3) if n + 2 * p >= d * (k - 1) + 1]


def used_rows_by_loops(n, k, s, p, d):
    """Rows of the padded input that change the output: poke each one and see (via conv2d_loops)."""
    base = np.zeros((n, 1))
    kernel = np.ones((k, 1))
    reference = conv2d_loops(base, kernel, stride=(s, 1), padding=(p, 0), dilation=(d, 1))
    used = np.zeros(n + 2 * p, dtype=bool)
    for row in range(n):
        poked = base.copy()
        poked[row] = 1.0
        used[p + row] = not np.array_equal(conv2d_loops(poked, kernel, stride=(s, 1), padding=(p, 0),
                                                        dilation=(d, 1)), reference)
    return used


@pytest.mark.parametrize("n, k, s, p, d", SETTINGS[::7])
def test_rows_read_matches_what_the_convolution_uses(n, k, s, p, d):
    read = rows_read(n, k, s, p, d)
    # Padding rows cannot be poked; compare the image rows only.
    assert np.array_equal(read[p:p + n], used_rows_by_loops(n, k, s, p, d)[p:p + n])


@pytest.mark.parametrize("n, k, s, p, d", SETTINGS)
def test_geometry_agrees_with_output_size_and_by_hand(n, k, s, p, d):
    starts = window_starts(n, k, s, p, d)
    reach = d * (k - 1) + 1
    assert window_reach(k, d) == reach
    assert len(starts) == output_size(n, k, s, p, d) == conv2d(np.zeros((n, n)), np.ones((k, k)), stride=s,
                                                                 padding=p, dilation=d).shape[0]
    # By hand: every start is a multiple of s, the last window fits, the next one would not.
    assert np.array_equal(starts, np.arange(len(starts)) * s)
    assert starts[-1] + reach <= n + 2 * p < starts[-1] + s + reach
    left = never_covered(n, k, s, p, d)
    assert 0 <= left < s
    assert left == n + 2 * p - (starts[-1] + reach)  # rows after the last window's end
    assert not rows_read(n, k, s, p, d)[n + 2 * p - left:].any()


def test_taught_numbers():
    assert list(window_starts(7, 3, stride=2)) == [0, 2, 4]
    assert output_size(7, 3, stride=2) == 3 and never_covered(7, 3, stride=2) == 0
    assert output_size(8, 3, stride=2) == 3 and never_covered(8, 3, stride=2) == 1
    assert output_size(224, 7, 2, 3) == 112
    assert output_size(4, 3, 2, 1) == 2 and never_covered(4, 3, 2, 1) == 1
    assert never_covered(10, 3, stride=4) == 3
    assert list(tap_offsets(3, 2)) == [0, 2, 4] and window_reach(3, 3) == 7
    # Stride keeps every s-th output of stride 1.
    x = np.random.default_rng(1).normal(size=(11, 9))
    k = np.random.default_rng(2).normal(size=(3, 3))
    assert np.allclose(conv2d(x, k, stride=3), conv2d(x, k)[::3, ::3])


def test_geometry_rejects_bad_input_in_words():
    with pytest.raises(TypeError, match="stride"):
        window_starts(8, 3, stride=2.0)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        never_covered(8, 3, stride=0)
    with pytest.raises(ValueError, match="padding must be >= 0"):
        rows_read(8, 3, padding=-1)
    with pytest.raises(ValueError, match="does not fit"):
        window_starts(4, 3, dilation=3)


# --------------------------------------------------------------------------- explorer


def box_of(rect):
    """(top, left, height, width) in pixels of an outline_box rectangle."""
    x, y = rect.get_xy()
    return (round(y + 0.5), round(x + 0.5), round(rect.get_height()), round(rect.get_width()))


def hatched(bands, axis):
    """The pixel rows (axis 0) or columns (axis 1) the hatched bands of a collection cover."""
    covered = set()
    for path in bands.get_paths():
        xy = path.vertices[:, 1 - axis]
        covered |= set(range(int(round(xy.min() + 0.5)), int(round(xy.max() + 0.5))))
    return covered


def reached_by_brute_force(n, k, s, p, d):
    """Padded rows some window's tap lands on: every window, every tap, one by one."""
    reached = set()
    start = 0
    while start + d * (k - 1) + 1 <= n + 2 * p:
        reached |= {start + d * i for i in range(k)}
        start += s
    return reached


@pytest.mark.parametrize("n, k, s, p, d", [(10, 3, 4, 0, 1), (8, 3, 2, 0, 1), (4, 3, 2, 1, 1), (12, 3, 2, 0, 2),
                                           (11, 1, 3, 1, 1), (9, 2, 4, 2, 1), (12, 3, 3, 0, 3), (7, 3, 1, 0, 1)])
def test_explorer_hatches_every_row_and_column_no_window_reaches(n, k, s, p, d):
    """Gaps between windows and between taps are hatched too, not only the rows after the last window."""
    from conv2d_lib.widgets import explore_stride

    explorer = explore_stride()
    explorer.set(image="checkerboard", size=n, kernel_size=k, stride=s, padding=p, dilation=d)
    rows, cols = explorer.figure.axes[0].collections[:2]
    never = set(range(n + 2 * p)) - reached_by_brute_force(n, k, s, p, d)
    assert hatched(rows, 0) == never and hatched(cols, 1) == never
    assert rows.get_visible() == cols.get_visible() == bool(never)
    words = " ".join(explorer.message.value.replace("<br>", " ").split())
    left = never_covered(n, k, s, p, d)
    gaps = sorted(r for r in never if r < n + 2 * p - left)
    if gaps:
        assert "never read either</b> (hatched)" in words
        assert all(f"{g}" in words for g in gaps)
    else:
        assert "between" not in words


def test_explorer_names_the_gap_and_the_last_rows_of_exercise_3():
    from conv2d_lib.widgets import explore_stride

    explorer = explore_stride()
    explorer.set(image="checkerboard", size=10, kernel_size=3, stride=4, padding=0, dilation=1)
    words = " ".join(explorer.message.value.replace("<br>", " ").split())
    assert "The last 3 rows of the padded input (rows 7 to 9, image)" in words
    assert "<b>Row 3 lies <i>between</i> two windows and is never read either</b> (hatched)" in words


def test_explorer_marks_the_windows_and_the_unreached_rows():
    from conv2d_lib.widgets import explore_stride

    explorer = explore_stride()
    explorer.set(image="small numbers", size=4, kernel_size=3, stride=2, padding=1, dilation=1)
    assert "cannot work" not in explorer.message.value
    assert "The last row of the padded input (row 5, padding)" in explorer.message.value
    ax_in = explorer.figure.axes[0]
    patches = ax_in.patches
    frame, last, first = patches[:3]
    unreached_rows, unreached_cols = ax_in.collections[:2]
    assert box_of(first) == (0, 0, 3, 3)
    assert box_of(last) == (2, 2, 3, 3)
    assert box_of(frame) == (1, 1, 4, 4)
    assert unreached_rows.get_visible() and hatched(unreached_rows, 0) == {5}
    assert unreached_cols.get_visible() and hatched(unreached_cols, 1) == {5}
    centres, taps = ax_in.lines[:2]
    xs, ys = centres.get_data()
    assert sorted(set(np.asarray(ys).tolist())) == [1.0, 3.0]
    assert len(xs) == 4
    # The output shown is conv2d's.
    expected = conv2d(images.centre_crop(images.sample("small numbers", gray=True), 4), np.ones((3, 3)), stride=2, padding=1)
    shown = np.asarray(explorer.figure.axes[1].images[0].get_array())
    assert np.array_equal(shown, expected)

    # Dilation 2: the taps of the first window are 2 apart, the window spans 5.
    explorer.set(size=12, image="checkerboard", padding=0, dilation=2, stride=1)
    tap_x, tap_y = taps.get_data()
    assert sorted(set(np.asarray(tap_x).tolist())) == [0, 2, 4]
    assert box_of(first) == (0, 0, 5, 5)
    assert not unreached_rows.get_visible()

    # Truly impossible: said in words.
    explorer.set(size=4, kernel_size=7, dilation=3, padding=0)
    assert "cannot work" in explorer.message.value and "does not fit" in explorer.message.value
