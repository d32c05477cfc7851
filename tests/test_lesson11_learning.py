"""Lesson 11 (learning a kernel): the fitter against independent references, and its explorer."""

import asyncio
import time
import warnings

import numpy as np
import pytest
from scipy import signal

from conv2d_lib import images, kernels
from conv2d_lib.learn import GROWTH_LIMIT, KernelFit, largest_curvature, largest_stable_learning_rate, loss_and_gradient
from conv2d_lib.widgets import explore_learning
from conv2d_lib.widgets import learning as live

from .references import numerical_gradient

PHOTO = images.centre_crop(images.sample("cat", gray=True), 64)
DESIGNED = np.array([[0.5, -1.0, 0.0], [0.25, 2.0, -0.75], [-0.5, 0.0, 1.0]])  # no symmetry, both signs
HIDDEN = {"sobel_x": kernels.get("sobel_x"), "box_blur": kernels.get("box_blur"), "designed": DESIGNED,
          "random": np.random.default_rng(7).uniform(-1.0, 1.0, (3, 3))}


def scipy_loss(image, target, weights):
    """The mean squared error through SciPy's correlate2d: no part of conv2d_lib's convolution."""
    return np.mean((signal.correlate2d(image, weights, mode="valid") - target) ** 2)


# --------------------------------------------------------------------------- the fitter


@pytest.mark.parametrize("name", HIDDEN)
def test_the_hidden_kernel_is_recovered_to_1e_3_in_a_few_thousand_steps(name):
    fit = KernelFit(PHOTO, HIDDEN[name], learning_rate=0.5, momentum=0.9, seed=0)
    assert fit.error() > 0.1  # a random start, far from the answer
    while fit.error() >= 1e-3 and fit.steps < 3000:
        fit.step(100)
    assert fit.error() < 1e-3, f"{name}: max abs error {fit.error():.2g} after {fit.steps} steps"
    assert not fit.diverged
    np.testing.assert_allclose(signal.correlate2d(PHOTO, fit.weights, mode="valid"), fit.target, atol=1e-2)


def test_plain_gradient_descent_also_gets_there():
    fit = KernelFit(PHOTO, HIDDEN["box_blur"], learning_rate=0.45, momentum=0.0)
    fit.step(3000)
    assert fit.error() < 0.05 and fit.losses[-1] < 1e-4 * fit.losses[0]


def test_the_target_is_the_photo_correlated_with_the_hidden_kernel():
    fit = KernelFit(PHOTO, DESIGNED)
    np.testing.assert_allclose(fit.target, signal.correlate2d(PHOTO, DESIGNED, mode="valid"), atol=1e-12)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_loss_decreases(momentum):
    fit = KernelFit(PHOTO, HIDDEN["sobel_x"], learning_rate=0.3, momentum=momentum)
    fit.step(400)
    losses = np.array(fit.losses)
    assert len(losses) == 401 and fit.steps == 400
    assert losses[-1] < (0.1 if momentum == 0.0 else 1e-3) * losses[0]
    if momentum == 0.0:  # plain descent with a stable rate never goes up on a quadratic bowl
        assert np.all(np.diff(losses) <= 1e-15)


def test_losses_are_the_losses_of_the_weights_and_a_step_is_the_gradient_step():
    fit = KernelFit(PHOTO, DESIGNED, learning_rate=0.2)
    before = fit.weights.copy()
    _, grad = loss_and_gradient(PHOTO, fit.target, before)
    fit.step()
    np.testing.assert_allclose(fit.weights, before - 0.2 * grad, rtol=1e-12, atol=1e-15)
    assert fit.losses[0] == pytest.approx(scipy_loss(PHOTO, fit.target, before), rel=1e-10)
    assert fit.losses[1] == pytest.approx(scipy_loss(PHOTO, fit.target, fit.weights), rel=1e-10)


def test_the_gradient_equals_central_differences_of_the_loss():
    rng = np.random.default_rng(4)
    image, target, weights = rng.random((9, 11)), rng.normal(size=(7, 9)), rng.normal(size=(3, 3))
    _, grad = loss_and_gradient(image, target, weights)
    numeric = numerical_gradient(lambda: scipy_loss(image, target, weights), weights)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-9)


def test_the_gradient_of_a_multi_channel_kernel_equals_central_differences():
    rng = np.random.default_rng(5)
    image, weights = rng.random((8, 7, 3)), rng.normal(size=(2, 3, 3, 2))
    target = rng.normal(size=(6, 6, 2))

    def loss():
        out = np.stack([sum(signal.correlate2d(image[..., c], weights[o, c], mode="valid") for c in range(3))
                        for o in range(2)], axis=-1)
        return np.mean((out - target) ** 2)

    _, grad = loss_and_gradient(image, target, weights)
    np.testing.assert_allclose(grad, numerical_gradient(loss, weights), rtol=1e-6, atol=1e-9)


def test_an_rgb_to_two_maps_kernel_is_recovered():
    # A noise picture: its colour channels are unrelated, so the 27 weights of each map are well told apart
    # (a photo's channels move together, and the weights along that direction take many more steps).
    rng = np.random.default_rng(2)
    picture, hidden = rng.random((24, 24, 3)), rng.uniform(-1, 1, (2, 3, 3, 3))
    rate = 0.9 * largest_stable_learning_rate(picture, (3, 3), momentum=0.9)
    fit = KernelFit(picture, hidden, learning_rate=rate, momentum=0.9)
    fit.step(500)
    assert fit.error() < 1e-3


def test_the_same_seed_gives_the_same_run_and_reset_goes_back_to_it():
    a, b = KernelFit(PHOTO, DESIGNED, seed=3), KernelFit(PHOTO, DESIGNED, seed=3)
    a.step(20)
    b.step(20)
    assert a.losses == b.losses and np.array_equal(a.weights, b.weights)
    assert not np.array_equal(KernelFit(PHOTO, DESIGNED, seed=4).start, a.start)
    first = list(a.losses)
    a.reset()
    assert a.steps == 0 and a.losses == first[:1] and np.array_equal(a.weights, a.start)
    a.step(20)
    assert a.losses == first


# --------------------------------------------------------------------------- divergence


def test_largest_curvature_is_the_top_eigenvalue_of_the_hessian_by_differences():
    image = np.random.default_rng(6).random((10, 12))
    target = np.zeros((8, 10))
    # The loss is quadratic: its Hessian, column by column, is the change of the gradient per unit of each weight.
    hessian = np.empty((9, 9))
    for i in range(9):
        step = np.zeros(9)
        step[i] = 1.0
        up = loss_and_gradient(image, target, step.reshape(3, 3))[1]
        down = loss_and_gradient(image, target, -step.reshape(3, 3))[1]
        hessian[:, i] = ((up - down) / 2).ravel()
    assert largest_curvature(image, (3, 3)) == pytest.approx(np.linalg.eigvalsh(hessian)[-1], rel=1e-10)
    assert largest_stable_learning_rate(image, (3, 3)) == pytest.approx(2 / np.linalg.eigvalsh(hessian)[-1])


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_the_stable_limit_separates_converging_from_diverging(momentum):
    limit = largest_stable_learning_rate(PHOTO, (3, 3), momentum)
    below = KernelFit(PHOTO, HIDDEN["sobel_x"], learning_rate=0.95 * limit, momentum=momentum)
    above = KernelFit(PHOTO, HIDDEN["sobel_x"], learning_rate=1.05 * limit, momentum=momentum)
    below.step(600)
    above.step(600)
    assert not below.diverged and below.losses[-1] < below.losses[0]
    assert above.diverged


def test_a_too_large_learning_rate_is_reported_in_words_without_a_warning():
    fit = KernelFit(PHOTO, HIDDEN["sobel_x"], learning_rate=3.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning (overflow, invalid value) fails the test
        loss = fit.step(10_000)
        fit.step(10)  # a diverged run takes no more steps, and says nothing new
    assert fit.diverged and fit.steps < 60, fit.steps
    assert np.isfinite(loss) and np.all(np.isfinite(fit.weights))
    words = fit.verdict
    assert words.startswith("diverged: learning rate 3 too large, loss grew from ")
    assert f"{fit.losses[0]:.2g}" in words and f"{fit.losses[-1]:.2g}" in words and "lower it" in words


def test_a_converging_run_says_how_far_it_has_come():
    fit = KernelFit(PHOTO, HIDDEN["box_blur"], learning_rate=0.5, momentum=0.9)
    fit.step(10)
    assert fit.verdict.startswith("step 10: loss ") and "largest weight error" in fit.verdict


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(image=[[1.0]]), TypeError, "image must be a numpy.ndarray"),
    (dict(hidden=np.ones((3, 3, 3))), ValueError, "hidden must have 2 or 4 dimensions"),
    (dict(hidden=np.ones((1, 1, 3, 3))), ValueError, "a grey image (H, W) goes with a kernel (kH, kW)"),
    (dict(hidden=np.ones((70, 3))), ValueError, "larger than the image"),
    (dict(learning_rate=0.0), ValueError, "learning_rate must be a finite number in (0, inf), got 0.0"),
    (dict(learning_rate=float("nan")), ValueError, "learning_rate must be a finite number"),
    (dict(learning_rate="0.1"), TypeError, "learning_rate must be a number, got '0.1' (str)"),
    (dict(momentum=1.0), ValueError, "momentum must be a finite number in [0, 1), got 1.0"),
    (dict(momentum=True), TypeError, "momentum must be a number"),
    (dict(seed=1.5), TypeError, "seed must be an int"),
])
def test_bad_arguments_are_named(kwargs, error, words):
    arguments = dict(image=PHOTO, hidden=DESIGNED) | kwargs
    with pytest.raises(error) as raised:
        KernelFit(**arguments)
    assert words in str(raised.value)


def test_bad_steps_and_targets_are_named():
    fit = KernelFit(PHOTO, DESIGNED)
    with pytest.raises(ValueError, match="n must be >= 0, got -1"):
        fit.step(-1)
    with pytest.raises(TypeError, match="n must be an int"):
        fit.step(2.0)
    with pytest.raises(ValueError, match=r"target must have the shape of conv2d\(image, weights\), \(62, 62\)"):
        loss_and_gradient(PHOTO, np.zeros((64, 64)), DESIGNED)
    with pytest.raises(ValueError, match="C_in = 2"):
        KernelFit(np.ones((8, 8, 3)), np.ones((1, 2, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        largest_curvature(PHOTO, (65, 3))
    fit.learning_rate = -1.0
    with pytest.raises(ValueError, match="learning_rate must be a finite number"):
        fit.step()


# --------------------------------------------------------------------------- the explorer

def loss_data(explorer):
    return np.asarray(explorer.figure.axes[0].lines[0].get_ydata()).copy()


def test_the_explorer_opens_with_its_first_steps_and_the_hidden_kernel():
    explorer = explore_learning()
    fit = explorer.run.fit
    assert fit.steps == live.PREVIEW_STEPS and len(loss_data(explorer)) == live.PREVIEW_STEPS + 1
    np.testing.assert_array_equal(loss_data(explorer), fit.losses)
    hidden_panel, learned_panel = explorer.figure.axes[1], explorer.figure.axes[2]
    np.testing.assert_array_equal(hidden_panel.images[0].get_array(), kernels.get("sobel_x"))
    np.testing.assert_array_equal(learned_panel.images[0].get_array(), fit.weights)
    np.testing.assert_array_equal(live.learning_photo(), PHOTO)
    assert "paused" in explorer.message.value and "run" in explorer.message.value


def test_both_kernels_share_one_colour_scale_centred_on_0_that_holds_while_the_rate_moves():
    explorer = explore_learning(hidden="box_blur")
    images_shown = [ax.images[0] for ax in explorer.figure.axes[1:3]]
    limits = [im.get_clim() for im in images_shown]
    bound = float(np.abs(kernels.get("box_blur")).max())
    assert limits == [(-bound, bound)] * 2
    explorer.set(learning_rate=0.01)
    assert [im.get_clim() for im in images_shown] == limits


@pytest.mark.parametrize("setting", [dict(learning_rate=0.05), dict(momentum=False), dict(hidden="laplacian")])
def test_every_setting_starts_again_from_the_same_random_weights(setting):
    explorer = explore_learning()
    start, before = explorer.run.fit.start.copy(), loss_data(explorer)
    explorer.set(**setting)
    fit = explorer.run.fit
    np.testing.assert_array_equal(fit.start, start)
    assert fit.steps == live.PREVIEW_STEPS
    after = loss_data(explorer)
    assert not np.array_equal(after, before)
    np.testing.assert_array_equal(after, fit.losses)
    # The run itself, independently: the same settings in a fit of their own give the same losses.
    hidden = kernels.get(setting.get("hidden", "sobel_x"))
    own = KernelFit(PHOTO, hidden, learning_rate=setting.get("learning_rate", 0.5),
                    momentum=0.9 if setting.get("momentum", True) else 0.0)
    own.step(live.PREVIEW_STEPS)
    assert own.losses == fit.losses


def test_your_kernel_is_in_the_menu_and_is_the_target():
    explorer = explore_learning(designed=DESIGNED, hidden="your kernel")
    assert "your kernel" in explorer.controls["hidden"].options
    np.testing.assert_allclose(explorer.run.fit.target, signal.correlate2d(PHOTO, DESIGNED, mode="valid"))
    with pytest.raises(ValueError, match="designed must be a kernel of finite numbers, at most 7 x 7"):
        explore_learning(designed=np.ones((9, 9)))
    with pytest.raises(TypeError, match="designed must be a numpy.ndarray"):
        explore_learning(designed=[[1, 2], [3, 4]])
    with pytest.raises(ValueError, match="hidden must be one of"):
        explore_learning(hidden="your kernel")  # no kernel of your own was given


def test_a_too_large_rate_says_diverged_on_the_plot_and_in_the_message_without_a_warning():
    explorer = explore_learning()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer.set(learning_rate=10 ** live.RATE_EXPONENTS[1])
    fit = explorer.run.fit
    assert fit.diverged
    words = explorer.figure.axes[0].texts
    shown = [t.get_text() for t in words if t.get_visible()]
    assert any(text.startswith("diverged: learning rate 3.16 too large") for text in shown), shown
    assert "diverged: learning rate 3.16 too large" in explorer.message.value
    limit = explorer.figure.axes[0].lines[1].get_ydata()[0]
    assert limit == pytest.approx(GROWTH_LIMIT * fit.losses[0])
    explorer.set(learning_rate=0.1)  # a lower rate starts again, and the words go
    assert not explorer.run.fit.diverged
    assert not any(t.get_visible() and t.get_text().startswith("diverged:") for t in words)


def test_reset_goes_back_to_the_first_steps():
    explorer = explore_learning()
    first = list(explorer.run.fit.losses)
    explorer.run.fit.step(200)
    explorer.refresh()
    assert len(loss_data(explorer)) == len(first) + 200
    explorer.reset_button.click()
    assert explorer.run.fit.losses == first
    np.testing.assert_array_equal(loss_data(explorer), first)


def test_run_trains_live_on_the_event_loop_and_pause_stops_it():
    heard = {}

    async def scenario():
        explorer = explore_learning(momentum=False, learning_rate=0.3)  # slow: it runs until paused
        loop = asyncio.get_running_loop()
        drawn = len(explorer.timings_ms)
        explorer.run_button.value = True  # as the front end's click does, inside the kernel's loop
        assert explorer.run.task is not None and explorer.run_button.description == "pause"
        asked = time.perf_counter() + 0.8

        def pause():  # as a widget message does, this runs only when the training gives the loop back
            heard.update(late=time.perf_counter() - asked, steps=explorer.run.fit.steps)
            explorer.run_button.value = False

        loop.call_at(loop.time() + 0.8, pause)
        while explorer.run.task is not None and time.perf_counter() < asked + 10:
            await asyncio.sleep(0.01)
        steps = explorer.run.fit.steps
        await asyncio.sleep(0.3)
        return explorer, drawn, steps

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer, drawn, steps = asyncio.run(scenario())
    # Heard within one batch of steps and one redraw (a third of a second on a busy machine; more under load).
    assert heard["late"] < 1.5, f"the pause was heard {heard['late']:.2f} s late"
    assert explorer.run.fit.steps == steps == heard["steps"], "not one step after the pause"
    assert steps > live.PREVIEW_STEPS, "it trained"
    redraws = len(explorer.timings_ms) - drawn
    assert 1 <= redraws <= 0.8 * live.DRAWS_PER_SECOND + 2, f"{redraws} redraws in 0.8 s"
    np.testing.assert_array_equal(loss_data(explorer), explorer.run.fit.losses)  # the last picture is the last step
    assert explorer.run_button.description == "run" and explorer.run.task is None
    assert "steps per second" in explorer.message.value and "paused" in explorer.message.value


def test_a_live_run_that_diverges_stops_itself_and_says_so():
    async def scenario():
        explorer = explore_learning(learning_rate=0.5, momentum=True)
        explorer.run.fit.learning_rate = 1.5  # the run goes on too fast: it diverges within a few steps
        explorer.run_button.value = True
        started = time.perf_counter()
        while explorer.run.task is not None and time.perf_counter() - started < 10:
            await asyncio.sleep(0.01)
        return explorer

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        explorer = asyncio.run(scenario())
    assert explorer.run.fit.diverged and explorer.run_button.value is False
    assert "diverged: learning rate 1.5 too large" in explorer.message.value
    assert "stopped by itself" in explorer.message.value


def test_run_without_an_event_loop_says_so_in_words():
    explorer = explore_learning()
    explorer.run_button.value = True
    assert explorer.run_button.value is False and explorer.run.task is None
    assert "No event loop is running here" in explorer.message.value
