#!/usr/bin/python3
"""Trains a network given as a graph of layers (convolutions with explicit pads, batch-norm, adds,
global pooling, dense) with PyTorch: the speed reference for nets the sequential torch_reference.py
cannot describe (ResNet-20). Same manifest fields as torch_reference.py, with "nodes" instead of
"layers"; Adam with TensorFlow.js' epsilon, cross-entropy on clipped softmax probabilities.

    /usr/bin/python3 test/bench/torch_graph_reference.py MANIFEST.json
"""
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": F.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softmax": lambda x: F.softmax(x, dim=-1),
}


def build(nodes, weights):
    offset = 0
    params = torch.nn.ModuleList()

    def take(shape):
        nonlocal offset
        size = int(np.prod(shape))
        values = weights[offset:offset + size].reshape(shape)
        offset += size
        return torch.from_numpy(values.copy())

    steps = []
    for node in nodes:
        kind = node["type"]
        module = None
        if kind == "conv":
            t, l, b, r = node["pads"]
            symmetric = t == b and l == r
            module = torch.nn.Conv2d(node["in"], node["out"], node["kernel"], stride=node["stride"], padding=(t, l) if symmetric else 0, bias=node["bias"])
            module.weight = torch.nn.Parameter(take([node["out"], node["in"]] + node["kernel"]))
            if node["bias"]:
                module.bias = torch.nn.Parameter(take([node["out"]]))
            node["explicit"] = None if symmetric else (l, r, t, b)
        elif kind == "bn":
            module = torch.nn.BatchNorm2d(node["channels"], eps=node["epsilon"], momentum=1 - node["momentum"])
            module.weight = torch.nn.Parameter(take([node["channels"]]))
            module.bias = torch.nn.Parameter(take([node["channels"]]))
            module.running_mean = take([node["channels"]])
            module.running_var = take([node["channels"]])
        elif kind == "dense":
            module = torch.nn.Linear(node["in"], node["out"], bias=node["bias"])
            module.weight = torch.nn.Parameter(take([node["out"], node["in"]]))
            if node["bias"]:
                module.bias = torch.nn.Parameter(take([node["out"]]))
        if module is not None:
            params.append(module)
        steps.append((node, module))
    if offset != weights.size:
        raise ValueError("the weight file holds %d values, the nodes use %d" % (weights.size, offset))
    return steps, params


def main(manifest_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    torch.set_num_threads(manifest.get("threads", 2))
    weights = np.fromfile(manifest["weightsFile"], dtype=np.float32)
    steps, params = build(manifest["nodes"], weights)
    params.train()

    def forward(x):
        values = {}
        for node, module in steps:
            inputs = [values[i] if i in values else x for i in node["inputs"]]
            kind = node["type"]
            if kind == "input":
                y = x
            elif kind == "conv":
                v = inputs[0]
                if node["explicit"] is not None:
                    v = F.pad(v, node["explicit"])
                y = module(v)
            elif kind in ("bn", "dense"):
                y = module(inputs[0])
            elif kind == "add":
                y = inputs[0]
                for other in inputs[1:]:
                    y = y + other
            elif kind == "gap":
                y = inputs[0].mean(dim=(2, 3))
            elif kind == "activation":
                y = inputs[0]
            else:
                raise ValueError("unsupported node type " + kind)
            values[node["name"]] = ACTIVATIONS[node.get("activation", "linear")](y)
        return values[steps[-1][0]["name"]]

    count = manifest["count"]
    shape = manifest["inputShape"]
    x_all = torch.from_numpy(np.fromfile(manifest["xFile"], dtype=np.float32).reshape([count] + shape))
    y_all = torch.from_numpy(np.fromfile(manifest["yFile"], dtype=np.int32).astype(np.int64))
    orders = np.fromfile(manifest["ordersFile"], dtype=np.int32).reshape(manifest["epochs"], count)
    classes = manifest["numClasses"]
    batch_size = manifest["batchSize"]
    warmup = manifest.get("warmupBatches", 2)
    eps = 1e-7
    optimizer = torch.optim.Adam(params.parameters(), lr=manifest["learningRate"], betas=(0.9, 0.999), eps=eps)
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
        sys.stderr.write("usage: torch_graph_reference.py MANIFEST.json\n")
        sys.exit(2)
    main(sys.argv[1])
