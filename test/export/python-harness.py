"""Checks generated Python for the export tests and prints one JSON result.

usage: python-harness.py parse FILE...      syntax check of each file (ast.parse)
       python-harness.py keras FILE...      build_model() of each Keras module against the recording
                                            stand-in for TensorFlow in keras-stub/
"""
import ast
import importlib.util
import json
import os
import sys


def parse(files):
    results = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        try:
            ast.parse(source, filename=path)
            results.append({"file": path, "ok": True})
        except SyntaxError as error:
            results.append({"file": path, "ok": False, "error": f"line {error.lineno}: {error.msg}"})
    return results


def keras(files):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras-stub"))
    from tensorflow.keras import layers as recorded_layers

    results = []
    for index, path in enumerate(files):
        recorded_layers.RECORDED.clear()
        spec = importlib.util.spec_from_file_location(f"exported_keras_{index}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.build_model()
        results.append(
            {
                "file": path,
                "name": model.name,
                "inputs": model.inputs,
                "outputs": model.outputs,
                "layers": list(recorded_layers.RECORDED),
            }
        )
    return results


if __name__ == "__main__":
    mode, paths = sys.argv[1], sys.argv[2:]
    print(json.dumps({"parse": parse, "keras": keras}[mode](paths)))
