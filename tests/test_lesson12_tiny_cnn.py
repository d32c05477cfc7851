"""Lesson 12 (notebooks/12_tiny_cnn.ipynb): the tiny CNN's helpers against independent references,
and its explorers driven without a browser."""

import asyncio

import numpy as np
import pytest
from scipy import signal, special

from conv2d_lib.exercises import tiny_cnn as exercises
from conv2d_lib.nn import Dense, ReLU, Sequential, confusion_matrix, softmax
from conv2d_lib.nn.digits import SETTINGS, make_network, predict, train, training_steps
from conv2d_lib.plot.tiny_cnn import mosaic
from conv2d_lib.pooling import max_pool2d
from conv2d_lib.widgets import tiny_cnn as tiny_widgets
from conv2d_lib.widgets.tiny_cnn import _lesson_history, explore_drawing, explore_feature_maps, explore_training

def test_the_explorers_use_the_lessons_settings():
    assert (tiny_widgets.EPOCHS, tiny_widgets.BATCH_SIZE) == (SETTINGS["epochs"], SETTINGS["batch_size"])


def test_the_data_and_the_training_module_have_names_of_their_own():
    """``conv2d_lib.nn.digits`` is the module of ``python -m conv2d_lib.nn.digits``; the data is load_digits."""
    import conv2d_lib.nn as nn
    import conv2d_lib.nn.digits as module

    assert nn.digits is module and callable(nn.load_digits) and not callable(nn.digits)


@pytest.fixture(scope="module")
def history():
    return _lesson_history()


# --------------------------------------------------------------------------- the numeric core

def test_confusion_matrix_counts_every_pair_as_a_loop_does():
    rng = np.random.default_rng(0)
    labels, predicted = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    expected = np.zeros((10, 10), int)
    for t, p in zip(labels, predicted):
        expected[t, p] += 1
    counts = confusion_matrix(labels, predicted)
    np.testing.assert_array_equal(counts, expected)
    assert counts.sum() == 500 and np.trace(counts) == np.sum(labels == predicted)


@pytest.mark.parametrize("labels, predicted, error, words", [
    (np.array([0.0, 1.0]), np.array([0, 1]), TypeError, "labels must be an ndarray of ints"),
    (np.array([0, 1]), np.array([0, 10]), ValueError, "predicted must lie in 0..9"),
    (np.array([0, 1]), np.array([0, 1, 2]), ValueError, "the same shape"),
    (np.zeros((2, 2), int), np.zeros((2, 2), int), ValueError, "shape (N,)"),
])
def test_confusion_matrix_says_what_is_wrong(labels, predicted, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        confusion_matrix(labels, predicted)


def test_softmax_is_scipys_and_never_overflows():
    logits = np.random.default_rng(1).normal(size=(5, 10)) * 30
    np.testing.assert_allclose(softmax(logits), special.softmax(logits, axis=1), rtol=1e-12)
    assert np.all(np.isfinite(softmax(np.array([[1000.0, 0.0]]))))
    with pytest.raises(TypeError, match="logits"):
        softmax(np.ones(3))


def test_predict_gives_probabilities_whose_largest_is_the_largest_score(history):
    model, data = history["model"], history["data"]
    probabilities = predict(model, data.x_test)
    assert probabilities.shape == (len(data.y_test), 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(probabilities.argmax(axis=1), model(data.x_test).argmax(axis=1))
    accuracy = np.mean(probabilities.argmax(axis=1) == data.y_test)
    assert accuracy == history["test_accuracy"][-1] and accuracy >= 0.97


def test_summary_is_what_each_layer_makes_of_a_digit():
    model = make_network(0)
    rows = model.summary((8, 8, 1))
    x = np.zeros((1, 8, 8, 1), np.float32)
    for layer, (_, shape, count) in zip(model.layers, rows):
        x = layer(x)
        assert shape == x.shape[1:]
        assert count == sum(v.size for v in getattr(layer, "params", {}).values())
    assert [shape for _, shape, _ in rows] == exercises.SHAPES
    assert rows[0][2] == 16 * 1 * 3 * 3 + 16
    assert Sequential([Dense(4, 3, seed=0), ReLU()]).summary((4,)) == [("Dense(4 -> 3)", (3,), 15), ("ReLU", (3,), 0)]
    with pytest.raises(TypeError, match="input_shape"):
        model.summary([8, 8, 1])


def test_training_steps_is_the_loop_train_runs():
    losses = [history["loss"][-1] for history in training_steps(seed=3, epochs=1)]
    trained = train(seed=3, epochs=1)
    np.testing.assert_array_equal(trained["loss"], losses)
    assert len(losses) == 45 and len(trained["test_accuracy"]) == 1
    steps = training_steps(seed=3, epochs=2)
    flags = [(h["epoch"], h["epoch_done"], len(h["test_accuracy"])) for h in steps]
    assert flags[44] == (0, True, 1) and flags[45] == (1, False, 1) and flags[-1] == (1, True, 2)


def test_mosaic_puts_tile_k_at_row_k_div_cols_and_column_k_mod_cols():
    tiles = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    out = mosaic(tiles, cols=3)
    assert out.shape == (2 * 3 - 1, 3 * 4 - 1)
    for k in range(5):
        r, c = divmod(k, 3)
        np.testing.assert_array_equal(out[r * 3:r * 3 + 2, c * 4:c * 4 + 3], tiles[k])
    assert np.isnan(out[2]).all() and np.isnan(out[:, 3]).all() and np.isnan(out[3:, 8:]).all()


# --------------------------------------------------------------------------- the explorers

def shown_maps(figure_image, count=16):
    """The (8, 8) tiles of the maps' mosaic, back out of the picture's data."""
    data = np.asarray(figure_image.get_array(), float)
    return [data[(k // 8) * 9:(k // 8) * 9 + 8, (k % 8) * 9:(k % 8) * 9 + 8] for k in range(count)]


def test_feature_maps_are_each_kernel_correlated_with_the_digit(history):
    explorer = explore_feature_maps(history)
    layer, data = history["model"].layers[0], history["data"]
    image = explorer.figure.axes[0].images[0]
    for digit in explorer.controls["digit"].options[:3]:
        index = digit[1]
        explorer.set(digit=index)
        picture = data.x_test[index, :, :, 0].astype(float)
        maps_image = next(ax for ax in explorer.figure.axes if ax.images and ax.images[0].get_array().shape == (17, 71))
        for k, tile in enumerate(shown_maps(maps_image.images[0])):
            expected = signal.correlate2d(picture, layer.weights[k, 0].astype(float), mode="same") + layer.bias[k]
            np.testing.assert_allclose(tile, expected, atol=1e-4)
        np.testing.assert_allclose(image.get_array(), picture * 16, atol=1e-4)
        assert f"a {data.y_test[index]}" in explorer.figure.axes[0].get_title()


def test_drawing_cells_change_the_answer_and_the_buttons_clear_and_load(history):
    explorer = explore_drawing(history)
    model, data = history["model"], history["data"]
    first = explorer.controls["digit"].value
    np.testing.assert_array_equal([c.value for c in explorer.cells], data.x_test[first, :, :, 0].ravel() > 0)
    assert explorer.cells[3].description == str(int(round(data.x_test[first, 0, 3, 0] * 16))) or \
        data.x_test[first, 0, 3, 0] == 0
    explorer.clear_button.click()
    assert not any(c.value for c in explorer.cells) and "empty" in explorer.message.value
    # Draw a vertical stroke: the bars are the network's probabilities for exactly that picture.
    for row in range(1, 7):
        explorer.cells[row * 8 + 4].value = True
    ink = np.zeros((8, 8))
    ink[1:7, 4] = 16
    bars_axes = next(ax for ax in explorer.figure.axes if len(ax.patches) == 10)
    expected = predict(model, (ink / 16).astype(np.float32)[None, :, :, None])[0]
    heights = np.array([bar.get_height() for bar in bars_axes.patches])
    np.testing.assert_allclose(heights, expected, rtol=1e-5)
    assert f"<b>{int(expected.argmax())}</b>" in explorer.message.value
    before = heights.copy()
    explorer.cells[8 + 3].value = True  # one more cell: the answer's probabilities move
    after = np.array([bar.get_height() for bar in bars_axes.patches])
    assert not np.allclose(before, after)
    explorer.cells[8 + 3].value = False
    np.testing.assert_allclose([bar.get_height() for bar in bars_axes.patches], before, rtol=1e-6)
    explorer.load_button.click()
    np.testing.assert_array_equal([c.value for c in explorer.cells], data.x_test[first, :, :, 0].ravel() > 0)


def test_live_training_is_the_same_run_as_train_and_stop_stops_it():
    explorer = explore_training(epochs=1)
    explorer.set(seed=2)
    history = asyncio.run(explorer.run())
    np.testing.assert_array_equal(history["loss"], train(seed=2, epochs=1)["loss"])
    assert "Done: test accuracy" in explorer.message.value and not explorer.train_button.disabled

    async def press_train_then_stop():
        explorer.train_button.click()
        task = explorer.runs["task"]
        while explorer.runs["history"] is None or len(explorer.runs["history"]["loss"]) < 3:
            await asyncio.sleep(0)
        assert explorer.train_button.disabled and not explorer.stop_button.disabled
        explorer.stop_button.click()
        stopped_at = len(explorer.runs["history"]["loss"])
        await task
        return stopped_at, len(explorer.runs["history"]["loss"])

    stopped_at, final = asyncio.run(press_train_then_stop())
    assert final == stopped_at < 45
    assert "Stopped after" in explorer.message.value and explorer.stop_button.disabled


def test_moving_the_seed_shows_that_seeds_untrained_kernels():
    explorer = explore_training()
    explorer.set(seed=4)
    shown = np.asarray(explorer.figure.axes[-1].images[0].get_array(), float) if explorer.figure.axes[-1].images \
        else None
    kernels = make_network(4).layers[0].weights[:, 0]
    image = next(ax.images[0] for ax in explorer.figure.axes if ax.images)
    np.testing.assert_allclose(np.asarray(image.get_array())[:3, :3], kernels[0])
    np.testing.assert_allclose(np.asarray(image.get_array())[4:7, 4:7], kernels[5])
    assert shown is None or shown.shape == (15, 15)


def test_the_pool_exercise_has_a_tie_in_every_window():
    for r in (0, 2):
        for c in (0, 2):
            window = exercises.POOL_IMAGE[r:r + 2, c:c + 2]
            assert np.sum(window == window.max()) == 2
    np.testing.assert_array_equal(max_pool2d(exercises.POOL_IMAGE, 2), [[3, 2], [2, 5]])
