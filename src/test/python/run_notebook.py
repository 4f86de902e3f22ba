"""Executes a notebook end to end with nbclient, its "parameters" cell set from the command line.

    python3 src/test/python/run_notebook.py examples/figure-1.ipynb http://localhost:8080 ci target/figure-1.ipynb

Fails (non-zero exit, the cell's error printed) if any cell raises; writes the executed notebook.
"""
import sys

import nbformat
from nbclient import NotebookClient


def main(notebook, url, scale, output):
    nb = nbformat.read(notebook, as_version=4)
    parameters = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(parameters) == 1, "the notebook needs exactly one cell tagged 'parameters'"
    parameters[0].source = f"URL = {url!r}\nSCALE = {scale!r}\n"
    NotebookClient(nb, timeout=1800, kernel_name="python3").execute()
    nbformat.write(nb, output)
    figures = sum("image/png" in out.get("data", {}) for cell in nb.cells for out in cell.get("outputs", []))
    assert figures >= 2, f"expected the two plots (Figure 1 left, Table 1) as images, got {figures}"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                print(out.get("text", ""), end="")
    print("notebook: OK,", scale, "scale,", figures, "figures, written to", output)


if __name__ == "__main__":
    main(*sys.argv[1:5])
