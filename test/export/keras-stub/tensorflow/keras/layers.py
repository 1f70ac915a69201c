"""Every layers.X(...) records X, its keyword arguments and, when called, its inputs.
Classes and keyword arguments Keras 3 does not have are refused (see signatures.py)."""
from .signatures import check_arguments

RECORDED = []


class SymbolicTensor:
    def __init__(self, layer):
        self.layer = layer


def record(class_name, arguments, inputs):
    for tensor in inputs:
        if not isinstance(tensor, SymbolicTensor):
            raise TypeError(f"{class_name} called on {tensor!r}, not on a layer output")
    name = arguments.get("name")
    if any(entry["name"] == name for entry in RECORDED):
        raise ValueError(f"two layers are named {name}")
    RECORDED.append({"className": class_name, "arguments": arguments, "inputs": [t.layer for t in inputs], "name": name})
    return SymbolicTensor(name)


class _Layer:
    def __init__(self, class_name, args, kwargs):
        if args:
            raise TypeError(f"{class_name}: the export passes keyword arguments only")
        check_arguments(class_name, kwargs)
        self.class_name = class_name
        self.kwargs = kwargs

    def __call__(self, inputs):
        listed = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        return record(self.class_name, self.kwargs, listed)


def __getattr__(class_name):
    if not class_name[:1].isupper():
        raise AttributeError(class_name)
    return lambda *args, **kwargs: _Layer(class_name, args, kwargs)
