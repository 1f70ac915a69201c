"""Records keras.Input and keras.Model calls; see the package docstring."""
from . import layers  # noqa: F401
from .layers import SymbolicTensor, record


def Input(shape, name=None, **kwargs):  # noqa: N802 (Keras' own spelling)
    if kwargs:
        raise TypeError(f"unexpected Input arguments {sorted(kwargs)}")
    return record("InputLayer", {"shape": list(shape), "name": name}, [])


class Model:
    def __init__(self, inputs, outputs, name=None):
        as_list = lambda t: list(t) if isinstance(t, (list, tuple)) else [t]  # noqa: E731
        for tensor in as_list(inputs) + as_list(outputs):
            if not isinstance(tensor, SymbolicTensor):
                raise TypeError("Model takes the tensors returned by layers")
        self.inputs = [t.layer for t in as_list(inputs)]
        self.outputs = [t.layer for t in as_list(outputs)]
        self.name = name
