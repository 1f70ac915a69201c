#!/usr/bin/python3
"""Trains the network described by a manifest with PyTorch, as a speed and
correctness reference for netweave's training loop.

The TypeScript benchmark writes the manifest: the layers, the initial weights
(already in PyTorch's layouts, in one raw float32 file), the training data
(raw float32 examples, int32 labels) and the example order of every epoch.
This script trains with the same loss (cross-entropy on clipped softmax
probabilities, as Keras and TensorFlow.js compute it) and Adam with the same
epsilon, and prints one JSON object: images/s and the loss of every batch.

    /usr/bin/python3 test/bench/torch_reference.py MANIFEST.json
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def build_layers(spec, weights):
    """Modules and their parameters, in manifest order; weights are consumed in the same order."""
    modules = []
    offset = 0

    def take(shape):
        nonlocal offset
        size = int(np.prod(shape))
        values = weights[offset:offset + size].reshape(shape)
        offset += size
        return torch.nn.Parameter(torch.from_numpy(values.copy()))

    for layer in spec:
        kind = layer["type"]
        if kind == "conv":
            conv = torch.nn.Conv2d(layer["in"], layer["out"], layer["kernel"], stride=layer["stride"], padding=layer["padding"], bias=layer["bias"])
            conv.weight = take([layer["out"], layer["in"], layer["kernel"][0], layer["kernel"][1]])
            if layer["bias"]:
                conv.bias = take([layer["out"]])
            modules.append((conv, layer["activation"]))
        elif kind == "dense":
            dense = torch.nn.Linear(layer["in"], layer["out"], bias=layer["bias"])
            dense.weight = take([layer["out"], layer["in"]])
            if layer["bias"]:
                dense.bias = take([layer["out"]])
            modules.append((dense, layer["activation"]))
        elif kind == "maxpool":
            modules.append((torch.nn.MaxPool2d(layer["size"], stride=layer["stride"]), "linear"))
        elif kind == "flatten":
            modules.append((torch.nn.Flatten(), "linear"))
        else:
            raise ValueError("unsupported layer type " + kind)
    if offset != weights.size:
        raise ValueError("the weight file holds %d values, the layers use %d" % (weights.size, offset))
    return modules


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: F.softmax(x, dim=-1),
}


def main(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    torch.set_num_threads(manifest.get("threads", 2))
    weights = np.fromfile(manifest["weightsFile"], dtype=np.float32)
    modules = build_layers(manifest["layers"], weights)
    container = torch.nn.ModuleList([m for m, _ in modules])

    def forward(x):
        for module, activation in modules:
            x = ACTIVATIONS[activation](module(x))
        return x

    train_and_report(manifest, container.parameters(), forward, 10)

def train_and_report(manifest, parameters, forward, default_warmup):
    """Adam over the manifest's data in its batch orders; prints losses and images/s after the warm-up batches."""
    count = manifest["count"]
    shape = manifest["inputShape"]  # channels first for images: [C, H, W]
    x_all = torch.from_numpy(np.fromfile(manifest["xFile"], dtype=np.float32).reshape([count] + shape))
    y_all = torch.from_numpy(np.fromfile(manifest["yFile"], dtype=np.int32).astype(np.int64))
    orders = np.fromfile(manifest["ordersFile"], dtype=np.int32).reshape(manifest["epochs"], count)
    classes = manifest["numClasses"]
    batch_size = manifest["batchSize"]
    warmup = manifest.get("warmupBatches", default_warmup)
    eps = 1e-7
    optimizer = torch.optim.Adam(parameters, lr=manifest["learningRate"], betas=(0.9, 0.999), eps=eps)

    losses = []
    timed_images = 0
    timed_start = None
    for epoch in range(manifest["epochs"]):
        order = torch.from_numpy(orders[epoch].astype(np.int64))
        for start in range(0, count, batch_size):
            index = order[start:start + batch_size]
            xb = x_all.index_select(0, index)
            yb = F.one_hot(y_all.index_select(0, index), classes).float()
            optimizer.zero_grad()
            p = forward(xb)
            p = p / p.sum(dim=-1, keepdim=True)
            loss = -(yb * torch.log(p.clamp(eps, 1 - eps))).sum(dim=-1).mean()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            if len(losses) == warmup:
                timed_start = time.perf_counter()
            elif len(losses) > warmup:
                timed_images += index.numel()
    elapsed = time.perf_counter() - timed_start if timed_start is not None else float("nan")
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "imagesPerSecond": timed_images / elapsed if elapsed > 0 else None,
        "losses": losses,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: torch_reference.py MANIFEST.json\n")
        sys.exit(2)
    main(sys.argv[1])
