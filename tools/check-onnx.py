#!/usr/bin/env python3
"""Check ONNX files with the independent reference checker (Debian's python3-onnx), full shape inference."""
import sys

import onnx

failed = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model, full_check=True)
        print(f"ok {path}")
    except Exception as error:  # report every file, then fail
        failed += 1
        print(f"FAIL {path}: {error}")
sys.exit(1 if failed else 0)
