#!/usr/bin/env python3
"""Reproduce the paper's Figure 1 (left) with ntklab, from a notebook or a shell.

Submits the `figure-1-left` preset (quick scale), follows the sweep, prints the fitted scaling
exponents of ||H(w0)|| and dK against the width m, then downloads one experiment's initial.npz
and recomputes its tangent kernel K(w0) in NumPy, independently of the service, to check the
service's `kernelNormInit`.

Standard library and NumPy only.  Usage:
    python3 examples/figure_1_left.py [--base http://localhost:8080] [--reduced]
"""
import argparse
import io
import json
import sys
import time
import urllib.request

import numpy as np


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        raw = response.read()
        kind = response.headers.get("Content-Type", "")
        return json.loads(raw) if "json" in kind else raw


def kernel_norm(npz):
    """||K(w0)||_F of a shallow tanh network with a linear output (SCIENCE.md, NTK parameterization).

    f_k(x) = W2[k] . tanh(W1 x / sqrt(d)) / sqrt(m); K is the full (n c) x (n c) kernel J J^T.
    """
    X, W1, W2 = npz["X"], npz["W1"], npz["W2"]
    n, d = X.shape
    c, m = W2.shape
    A = np.tanh(X @ W1.T / np.sqrt(d))          # (n, m) hidden activations
    S = 1.0 - A ** 2                             # sigma'(z)
    gram_x = X @ X.T / d                         # (n, n)
    gram_a = A @ A.T / m
    K = np.zeros((n * c, n * c))
    for k in range(c):
        for l in range(c):
            # d f_k / d W1 . d f_l / d W1 summed over hidden units, for every pair of inputs
            hidden = (S * W2[k]) @ (S * W2[l]).T / m
            block = hidden * gram_x + (gram_a if k == l else 0.0)
            K[k::c, l::c] = block
    return np.linalg.norm(K)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://localhost:8080")
    parser.add_argument("--reduced", action="store_true", help="fewer widths and steps (for tests)")
    args = parser.parse_args()

    request = {"preset": "figure-1-left", "scale": "quick"}
    if args.reduced:
        request["base"] = {"training": {"steps": 10}, "measurements": {"hessianAt": "init", "kernelEvery": 5}}
        request["grid"] = {"network.hiddenWidths": [[100], [316], [1000]], "seed": [1]}
    sweep = call(args.base, "POST", "/api/v1/sweeps", request)
    location = "/api/v1/sweeps/" + sweep["id"]
    print(f"sweep {sweep['id']}: {len(sweep['children'])} experiments")

    while sweep["status"] in ("QUEUED", "RUNNING"):
        time.sleep(2)
        sweep = call(args.base, "GET", location)
        done = sum(sweep["counts"][s] for s in ("SUCCEEDED", "FAILED", "CANCELLED"))
        print(f"  {sweep['status']}: {done}/{len(sweep['children'])} done", flush=True)
    if sweep["status"] != "SUCCEEDED":
        sys.exit(f"sweep ended {sweep['status']}")

    print("\nscaling exponents (log y = a + s log m, 95% interval):")
    for fit in sweep["fits"]:
        group = ", ".join(f"{k.split('.')[-1]}={v}" for k, v in fit["group"].items())
        for name in ("hessianInit", "kernelChange"):
            f = fit[name]
            if f is None:
                continue
            interval = "" if f.get("slopeLower") is None else f" [{f['slopeLower']:.3f}, {f['slopeUpper']:.3f}]"
            print(f"  {group:35s} {name:13s} slope {f['slope']:+.3f}{interval}")

    row = next(r for r in sweep["table"] if r["overrides"]["network.outputMap"] == "linear")
    experiment = call(args.base, "GET", f"/api/v1/experiments/{row['id']}")
    raw = call(args.base, "GET", f"/api/v1/experiments/{row['id']}/artifacts/initial.npz")
    mine = kernel_norm(np.load(io.BytesIO(raw)))
    theirs = experiment["result"]["kernelNormInit"]
    relative = abs(mine - theirs) / theirs
    print(f"\n||K(w0)||_F of experiment {row['id']} (m = {row['width']}): "
          f"NumPy {mine:.15g}, service {theirs:.15g}, relative difference {relative:.1e}")
    if relative > 1e-9:
        sys.exit("the kernel norms disagree")


if __name__ == "__main__":
    main()
