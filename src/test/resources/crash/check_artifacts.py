"""Reads every artifact the crash test exported with NumPy: argv[1] holds one folder per job
(named by its id) with initial.npz, kernels.npz, trajectory.csv, losses.csv, and a file 'steps'
giving the job's training steps. Fails (exit 1) on the first unreadable or incomplete artifact;
prints the number of jobs and files read."""
import os
import sys

import numpy as np

root = sys.argv[1]
jobs = files = 0
for job in sorted(os.listdir(root)):
    folder = os.path.join(root, job)
    steps = int(open(os.path.join(folder, "steps")).read())
    for name in ("initial.npz", "kernels.npz"):
        with np.load(os.path.join(folder, name)) as archive:
            assert len(archive.files) > 0, (job, name, "empty archive")
            for key in archive.files:
                array = archive[key]  # reads and checks the whole member (CRC, shape, dtype)
                assert array.size == 0 or np.isfinite(array).all() or array.dtype.kind not in "fc", (job, name, key)
        files += 1
    losses = np.loadtxt(os.path.join(folder, "losses.csv"), delimiter=",", skiprows=1, ndmin=2)
    assert losses.shape == (steps + 1, 2), (job, "losses.csv", losses.shape, steps)
    assert (losses[:, 0] == np.arange(steps + 1)).all(), (job, "losses.csv steps")
    trajectory = np.genfromtxt(os.path.join(folder, "trajectory.csv"), delimiter=",", names=True, ndmin=1)
    assert trajectory.shape[0] >= 2 and trajectory["step"][-1] == steps, (job, "trajectory.csv", trajectory.shape)
    files += 2
    jobs += 1
print(f"numpy read {files} artifacts of {jobs} jobs")
