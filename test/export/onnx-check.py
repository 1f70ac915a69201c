"""Checks ONNX files with the onnx package: one JSON line per file.

usage: onnx-check.py FILE... ; prints a JSON list of
{file, ok, error, ir, opsets, nodes, inputs, outputs, metadata, initializers}.
"""
import json
import sys

import onnx

results = []
for path in sys.argv[1:]:
    entry = {"file": path, "ok": False, "error": None}
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        entry.update(
            ok=True,
            ir=model.ir_version,
            opsets={o.domain: o.version for o in model.opset_import},
            nodes=[n.op_type for n in model.graph.node],
            inputs=[[i.name, [d.dim_value if d.HasField("dim_value") else d.dim_param for d in i.type.tensor_type.shape.dim]] for i in model.graph.input],
            outputs=[o.name for o in model.graph.output],
            metadata={p.key: p.value for p in model.metadata_props},
            initializers=sum(int(__import__("numpy").prod(t.dims)) for t in model.graph.initializer),
            attributes={f"{n.name}.{a.name}": onnx.helper.get_attribute_value(a) if a.type in (1, 2, 7) else None for n in model.graph.node for a in n.attribute},
        )
    except Exception as exc:  # reported, not raised: the test names the file
        entry["error"] = f"{type(exc).__name__}: {exc}"
    results.append(entry)
print(json.dumps(results, default=str))
