#!/usr/bin/python3
"""Trains a network given as a graph of layers (convolutions with explicit pads, batch-norm, adds,
global pooling, dense) with PyTorch: the speed reference for nets the sequential torch_reference.py
cannot describe (ResNet-20). Same manifest fields as torch_reference.py, with "nodes" instead of
"layers"; Adam with TensorFlow.js' epsilon, cross-entropy on clipped softmax probabilities.

    /usr/bin/python3 test/bench/torch_graph_reference.py MANIFEST.json
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

from torch_reference import ACTIVATIONS, train_and_report


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

    train_and_report(manifest, params.parameters(), forward, 2)

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: torch_graph_reference.py MANIFEST.json\n")
        sys.exit(2)
    main(sys.argv[1])
