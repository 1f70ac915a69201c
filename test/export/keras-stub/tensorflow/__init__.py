"""A stand-in for TensorFlow in the export tests (TensorFlow cannot be installed there).

It records the layers a generated Keras module builds, their arguments and connections,
so that a test can compare them with the graph; it computes nothing.
"""
from . import keras  # noqa: F401
