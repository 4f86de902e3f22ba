"""The whole flow through the Python client that openapi-generator makes from openapi.yaml.

Run by GeneratedPythonClientIT against a started service, with the generated package
(target/generated-clients/python) on PYTHONPATH:

    python3 src/test/python/client_flow.py http://localhost:8080 src/test/resources/datasets/xy.npz

Exits non-zero (an AssertionError or the client's exception) on the first step that fails.
"""
import sys
import time

import ntklab_client
from ntklab_client import ApiClient, Configuration
from ntklab_client.api import DatasetsApi, ExperimentsApi, SweepsApi
from ntklab_client.exceptions import ApiException
from ntklab_client.models import ExperimentSpecification, Problem, SweepDefinition

WAIT_SECONDS = 120
RUNNING = ("QUEUED", "RUNNING")


def small(name, width, steps):
    """A small experiment; hessianProbes uses the bare-index shorthand and the object form."""
    return ExperimentSpecification.from_dict({
        "name": name, "seed": 1, "tags": {"flow": "python"},
        "network": {"hiddenWidths": [width], "activation": "tanh"},
        "data": {"n": 8, "inputDim": 3},
        "training": {"steps": steps, "learningRate": {"auto": 0.5}},
        "measurements": {"kernelEvery": 5, "hessianProbes": [0, {"index": 1}]},
    })


def await_end(read):
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = read()
        if value.status not in RUNNING:
            return value
        assert time.monotonic() < deadline, f"still {value.status} after {WAIT_SECONDS} s"
        time.sleep(0.1)


def main(url, npz_path):
    client = ApiClient(Configuration(host=url))
    experiments, sweeps, datasets = ExperimentsApi(client), SweepsApi(client), DatasetsApi(client)

    submitted = experiments.submit_experiment(small("python client", 64, 20))
    assert submitted is not None and submitted.id is not None, submitted
    done = await_end(lambda: experiments.get_experiment(submitted.id))
    assert done.status == "SUCCEEDED", done
    hessian = done.result.hessian_init
    assert len(hessian.probes) == 2 and hessian.mean > 0, hessian
    print("experiment", done.id, "||H(w0)|| mean", hessian.mean)

    page = experiments.list_experiments(tag="flow=python", size=50)
    assert submitted.id in [e.id for e in page.items], page

    batch = experiments.submit_experiment_batch([small("batch a", 16, 5), small("batch b", 32, 5)])
    assert len(batch.ids) == 2, batch

    csv = bytes(experiments.download_artifact(submitted.id, "trajectory.csv")).decode()
    assert csv.startswith("step,"), csv[:80]
    npz = bytes(experiments.download_artifact(submitted.id, "initial.npz"))
    assert npz[:2] == b"PK", npz[:10]

    sweep = sweeps.submit_sweep(SweepDefinition.from_dict({
        "name": "python client widths",
        "base": small("child", 16, 10).to_dict(),
        "grid": {"network.hiddenWidths": [[16], [64], [256]]},
    }))
    swept = await_end(lambda: sweeps.get_sweep(sweep.id))
    assert swept.status == "SUCCEEDED", swept
    fit = swept.fits[0]
    assert fit.widths == [16, 64, 256] and fit.hessian_init.slope < 0, fit
    print("sweep", swept.id, "slope of ||H(w0)||", fit.hessian_init.slope)

    with open(npz_path, "rb") as f:
        dataset = datasets.upload_dataset(f.read(), name="flow")
    assert dataset.id is not None and len(datasets.get_dataset(dataset.id).x_shape) == 2, dataset

    long_run = experiments.submit_experiment(small("to cancel", 64, 100_000))
    cancelled = experiments.cancel_experiment(long_run.id)
    assert cancelled.id == long_run.id
    assert await_end(lambda: experiments.get_experiment(long_run.id)).status == "CANCELLED"

    invalid = small("invalid", 64, 10)
    invalid.network.hidden_widths = [-1]
    try:
        experiments.submit_experiment(invalid)
        raise AssertionError("an invalid spec was accepted")
    except ApiException as e:
        assert e.status == 400, e
        problem = Problem.from_json(e.body)
        fields = [error.var_field for error in problem.errors]
        assert "network.hiddenWidths[0]" in fields, problem
        print("invalid spec refused:", fields)
    print("python client flow: OK with", ntklab_client.__name__)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
