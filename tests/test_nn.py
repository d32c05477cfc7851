"""conv2d_lib.nn: every layer's backward against central finite differences, and a network against PyTorch."""

import numpy as np
import pytest

from tests.references import numerical_gradient
from conv2d_lib.nn import SGD, Dense, Flatten, MaxPool2D, ReLU, Sequential, SoftmaxCrossEntropy, load_digits

RNG = np.random.default_rng(5)


def test_dense_gradients_are_the_finite_differences():
    layer = Dense(5, 3, seed=0, dtype=np.float64)
    x = RNG.standard_normal((4, 5))
    upstream = RNG.standard_normal((4, 3))  # the loss is sum(upstream * output)
    loss = lambda: float(np.sum(upstream * layer(x)))  # noqa: E731
    loss()
    grad_x = layer.backward(upstream)
    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), atol=1e-7)
    for name in ("weights", "bias"):
        np.testing.assert_allclose(layer.grads[name], numerical_gradient(loss, layer.params[name]), atol=1e-7)


def test_relu_and_flatten_pass_the_gradient_where_they_should():
    x = RNG.standard_normal((2, 3, 4, 5))
    relu, flatten = ReLU(), Flatten()
    y = flatten(relu(x))
    assert y.shape == (2, 60) and np.all(y >= 0)
    upstream = RNG.standard_normal(y.shape)
    grad = relu.backward(flatten.backward(upstream))
    np.testing.assert_array_equal(grad, upstream.reshape(x.shape) * (x > 0))


@pytest.mark.parametrize("kernel, stride", [(2, None), (3, 2), (2, 1)])
def test_max_pool_gradient_is_the_finite_differences(kernel, stride):
    layer = MaxPool2D(kernel, stride)
    x = RNG.standard_normal((2, 6, 7, 3))  # random: no ties, so the maximum is unique
    upstream = RNG.standard_normal(layer(x).shape)
    loss = lambda: float(np.sum(upstream * layer(x)))  # noqa: E731
    loss()
    np.testing.assert_allclose(layer.backward(upstream), numerical_gradient(loss, x), atol=1e-6)


def test_softmax_cross_entropy_and_its_gradient():
    loss = SoftmaxCrossEntropy()
    logits, labels = RNG.standard_normal((6, 4)), np.array([0, 3, 1, 1, 2, 0])
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    assert loss(logits, labels) == pytest.approx(-np.mean(np.log(probs[np.arange(6), labels])))
    assert loss(logits + 1000.0, labels) == pytest.approx(loss(logits, labels))  # no overflow
    grad = (loss(logits, labels), loss.backward())[1]
    np.testing.assert_allclose(grad, numerical_gradient(lambda: loss(logits, labels), logits), atol=1e-7)


def test_sgd_with_momentum_follows_its_formula():
    layer = Dense(2, 1, seed=0, dtype=np.float64)
    model = Sequential([layer])
    optimiser = SGD(model, lr=0.5, momentum=0.9)
    start = layer.params["weights"].copy()
    layer.grads = {"weights": np.ones((1, 2)), "bias": np.ones(1)}
    optimiser.step()
    optimiser.step()  # v = 1, then 0.9 * 1 + 1 = 1.9: the weights moved by 0.5 * (1 + 1.9)
    np.testing.assert_allclose(layer.params["weights"], start - 0.5 * 2.9)


@pytest.mark.parametrize("call, error, words", [
    (lambda: Dense(0, 3), ValueError, ["in_features", ">= 1"]),
    (lambda: Dense(3, 2.0), TypeError, ["out_features", "2.0"]),
    (lambda: Dense(3, 2)(np.zeros((4, 5))), ValueError, ["5 features", "in_features=3"]),
    (lambda: Dense(3, 2)(np.zeros(3)), ValueError, ["(N, F_in)", "(3,)"]),
    (lambda: Dense(3, 2).backward(np.zeros((1, 2))), RuntimeError, ["forward pass first"]),
    (lambda: ReLU()([1.0]), TypeError, ["x", "list"]),
    (lambda: Flatten()(np.zeros((2, 3))), ValueError, ["(N, H, W, C)", "(2, 3)"]),
    (lambda: MaxPool2D(0), ValueError, ["kernel_size", ">= 1"]),
    (lambda: MaxPool2D(2, stride=1.5), TypeError, ["stride", "1.5"]),
    (lambda: SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0, 3])), ValueError, ["0..2", "0..3"]),
    (lambda: SoftmaxCrossEntropy()(np.zeros((2, 3)), np.array([0.0, 1.0])), ValueError, ["labels", "ints"]),
    (lambda: SGD(Sequential([]), lr=0), ValueError, ["lr", "> 0"]),
    (lambda: SGD(Sequential([]), lr=0.1, momentum=1.0), ValueError, ["momentum", "[0, 1)"]),
    (lambda: SGD(Sequential([]), lr="fast"), TypeError, ["lr", "'fast'"]),
    (lambda: Sequential(Dense(2, 2)), TypeError, ["list of layers"]),
    (lambda: load_digits(seed=-1), ValueError, ["seed", ">= 0"]),
    (lambda: load_digits(test_fraction=1.5), ValueError, ["test_fraction", "(0, 1)"]),
])
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as caught:
        call()
    for word in words:
        assert word in str(caught.value), f"{word!r} missing from: {caught.value}"


def test_digits_split_is_fixed_by_its_seed():
    first, again, other = load_digits(seed=3), load_digits(seed=3), load_digits(seed=4)
    np.testing.assert_array_equal(first.y_test, again.y_test)
    assert not np.array_equal(first.y_test, other.y_test)
    assert len(first.y_train) + len(first.y_test) == 1797
    assert first.x_train.min() == 0.0 and first.x_train.max() == 1.0
    assert set(np.unique(first.y_train)) == set(range(10))


def test_a_small_network_trains_as_the_same_network_in_pytorch():
    """Same initial weights, same batches: loss and every gradient match PyTorch for 20 SGD steps."""
    torch = pytest.importorskip("torch")
    model = Sequential([Flatten(), Dense(64, 16, seed=0, dtype=np.float64), ReLU(),
                        Dense(16, 10, seed=1, dtype=np.float64)])
    data = load_digits(seed=0)
    reference = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 16), torch.nn.ReLU(),
                                    torch.nn.Linear(16, 10)).double()
    with torch.no_grad():
        for ours, theirs in ((model.layers[1], reference[1]), (model.layers[3], reference[3])):
            theirs.weight.copy_(torch.from_numpy(ours.params["weights"]))
            theirs.bias.copy_(torch.from_numpy(ours.params["bias"]))
    loss, optimiser = SoftmaxCrossEntropy(), SGD(model, lr=0.1, momentum=0.9)
    torch_optimiser = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    for step in range(20):
        batch = slice(32 * step, 32 * step + 32)
        x, y = data.x_train[batch].astype(np.float64), data.y_train[batch]
        value = loss(model(x), y)
        model.backward(loss.backward())
        # torch flattens channels-first (N, C, H, W); with one channel the order is the same.
        x_torch = torch.from_numpy(x).permute(0, 3, 1, 2)
        torch_optimiser.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(reference(x_torch), torch.from_numpy(y))
        torch_loss.backward()
        assert value == pytest.approx(torch_loss.item(), abs=1e-6)
        for (_, _, grad), parameter in zip(model.parameters(), reference.parameters()):
            np.testing.assert_allclose(grad, parameter.grad.numpy(), atol=1e-6)
        optimiser.step()
        torch_optimiser.step()


def test_the_tiny_cnn_trains_as_the_same_network_in_pytorch():
    """Lesson 12's network: loss and every gradient match PyTorch to 1e-6 in float64 for 20 SGD steps."""
    torch = pytest.importorskip("torch")
    from conv2d_lib.nn.digits import make_network

    model = make_network(seed=0)
    conv1, conv2, dense = model.layers[0], model.layers[2], model.layers[6]
    for conv in (conv1, conv2):  # the same network in float64
        conv.weights, conv.bias = conv.weights.astype(np.float64), conv.bias.astype(np.float64)
    dense.params = {name: value.astype(np.float64) for name, value in dense.params.items()}

    class ChannelsLastFlatten(torch.nn.Module):  # ours flattens (N, H, W, C) rows
        def forward(self, x):
            return x.permute(0, 2, 3, 1).flatten(1)

    reference = torch.nn.Sequential(torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
                                    torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                    ChannelsLastFlatten(), torch.nn.Linear(512, 10)).double()
    with torch.no_grad():
        for ours, theirs in ((conv1, reference[0]), (conv2, reference[2])):
            theirs.weight.copy_(torch.from_numpy(ours.weights))
            theirs.bias.copy_(torch.from_numpy(ours.bias))
        reference[6].weight.copy_(torch.from_numpy(dense.params["weights"]))
        reference[6].bias.copy_(torch.from_numpy(dense.params["bias"]))
    data = load_digits(seed=0)
    loss, optimiser = SoftmaxCrossEntropy(), SGD(model, lr=0.05, momentum=0.9)
    torch_optimiser = torch.optim.SGD(reference.parameters(), lr=0.05, momentum=0.9)
    for step in range(20):
        batch = slice(32 * step, 32 * step + 32)
        x, y = data.x_train[batch].astype(np.float64), data.y_train[batch]
        value = loss(model(x), y)
        model.backward(loss.backward())
        torch_optimiser.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(reference(torch.from_numpy(x).permute(0, 3, 1, 2)),
                                                       torch.from_numpy(y))
        torch_loss.backward()
        assert value == pytest.approx(torch_loss.item(), abs=1e-6)
        ours = [grad for _, _, grad in model.parameters()]
        theirs = [p.grad.numpy() for p in reference.parameters()]
        assert len(ours) == len(theirs) == 6
        for mine, torch_grad in zip(ours, theirs):
            np.testing.assert_allclose(mine, torch_grad, atol=1e-6)
        optimiser.step()
        torch_optimiser.step()


@pytest.mark.parametrize("seed", [0, 5])  # 5: the hardest split of seeds 0-11
def test_the_digits_network_learns_them_and_reruns_give_the_same_numbers(seed):
    from conv2d_lib.nn.digits import train

    first = train(seed=seed)
    assert first["test_accuracy"][-1] >= 0.97
    again = train(seed=seed, epochs=2)
    np.testing.assert_array_equal(again["loss"], first["loss"][:len(again["loss"])])


def test_training_stops_when_asked_and_the_command_prints_its_accuracy():
    import subprocess
    import sys

    from conv2d_lib.nn.digits import train

    stopped = train(seed=1, on_step=lambda history: len(history["loss"]) == 7)
    assert len(stopped["loss"]) == 7 and len(stopped["test_accuracy"]) == 1
    done = subprocess.run([sys.executable, "-m", "conv2d_lib.nn.digits", "--seed", "2", "--epochs", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("test accuracy: 0.") and len(last) == len("test accuracy: 0.XXX")


def test_the_layer_and_relu_keep_their_older_addresses():
    """Notebooks written before conv2d_lib.nn held them import them from their old modules."""
    import conv2d_lib
    from conv2d_lib import activations, layers
    from conv2d_lib.nn import activations as nn_activations, conv_layer

    assert layers.Conv2D is conv_layer.Conv2D is conv2d_lib.Conv2D is conv2d_lib.nn.Conv2D
    assert layers.make_stack is conv2d_lib.nn.make_stack and layers.run_stack is conv2d_lib.nn.run_stack
    assert activations.relu is nn_activations.relu is conv2d_lib.relu
    assert set(layers.__all__) == set(conv_layer.__all__) and set(activations.__all__) == set(nn_activations.__all__)


def test_relu_layer_is_relu_and_passes_gradient_where_it_let_values_through():
    from conv2d_lib import relu
    from conv2d_lib.nn import ReLU

    x = np.array([[-1.0, 0.0, 2.0], [np.nan, 3.0, -0.5]])
    layer = ReLU()
    np.testing.assert_array_equal(layer.forward(x), relu(x))
    np.testing.assert_array_equal(layer.backward(np.full_like(x, 5.0)), [[0, 0, 5], [0, 5, 0]])
