"""Runs exported PyTorch modules for the export tests and prints one JSON result.

usage: torch-harness.py build JOBS.json     build each module, count, run a tiny batch
       torch-harness.py compare JOBS.json   load weights, predict, compare with expected outputs
       torch-harness.py momentum JOBS.json  one training-mode pass, report batch-norm running means
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_floats(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").astype(np.float32).reshape(shape))


def counts(net):
    parameters = sum(p.numel() for p in net.parameters())
    buffers = sum(b.numel() for key, b in net.named_buffers() if not key.endswith("num_batches_tracked"))
    return parameters, buffers


def build(job):
    net = load_module(job["module"], job["name"]).build_model().eval()
    parameters, buffers = counts(net)
    result = {"name": job["name"], "parameters": parameters, "buffers": buffers}
    if job.get("forward"):
        with torch.no_grad():
            out = net(torch.rand([1] + job["inputShape"]))
        result["outputShape"] = list(out.shape)
    return result


def compare(job):
    net = load_module(job["module"], job["name"]).build_model()
    net.load_weights(job["weights"])
    net.eval()
    inputs = [read_floats(i["path"], i["shape"]) for i in job["inputs"]]
    with torch.no_grad():
        out = net(*inputs)
    outputs = out if isinstance(out, tuple) else (out,)
    diffs, shapes = [], []
    for produced, expected in zip(outputs, job["expected"]):
        shapes.append(list(produced.shape))
        want = read_floats(expected["path"], expected["shape"])
        diffs.append(float((produced - want).abs().max()) if produced.shape == want.shape else None)
    return {"name": job["name"], "maxDiff": diffs, "shapes": shapes}


def momentum(job):
    net = load_module(job["module"], job["name"]).build_model()
    net.load_weights(job["weights"])
    net.train()
    with torch.no_grad():
        net(*[read_floats(i["path"], i["shape"]) for i in job["inputs"]])
    means = {key: value.flatten().tolist() for key, value in net.state_dict().items() if key.endswith("running_mean")}
    return {"name": job["name"], "runningMeans": means}


def main():
    mode, jobs_path = sys.argv[1], sys.argv[2]
    torch.manual_seed(0)
    with open(jobs_path, encoding="utf-8") as f:
        jobs = json.load(f)
    run = {"build": build, "compare": compare, "momentum": momentum}[mode]
    print(json.dumps([run(job) for job in jobs]))


if __name__ == "__main__":
    main()
