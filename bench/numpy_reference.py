#!/usr/bin/env python3
"""A straightforward NumPy implementation of one shallow ntklab experiment, for timing only.

Same maths and sizes as org.ntklab.bench.ExperimentMain (SCIENCE.md): n = 100 unit inputs in
d = 10, c = 1, one tanh hidden layer of width m, linear output, NTK scaling, both layers trained,
squared loss, lr = n / lambda_max(K(w_0)), full-batch GD for `steps` steps with K(w_t), dK, the
weight change and the gradient norm every `kernel_every` steps and at the last step; the kernel
spectrum at init and end; ||H_0(w_0; x_i)|| for `probes` probes by `lanczos_steps` Lanczos steps
with full reorthogonalisation (classical Gram-Schmidt, DGKS repeat) and the two Ritz residuals.
The HVP uses the closed form for this net (no autograd):
    z = s1 W1 x, a = tanh z, d1 = 1 - a^2, d2 = -2 a d1, f = s2 W2 . a,  dz = s1 V1 x
    (H v)_W2 = s2 d1 dz,   (H v)_W1 = s1 s2 (v2 d1 + W2 d2 dz) x^T
Usage: numpy_reference.py m steps kernel_every probes lanczos_steps
"""
import sys
import time

import numpy as np

N, D = 100, 10


def main():
    m, steps, kernel_every, probes, lanczos_steps = (int(a) for a in sys.argv[1:6])
    rng = np.random.default_rng(1)
    x = rng.standard_normal((N, D))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    u = rng.standard_normal(D)
    u /= np.linalg.norm(u)
    y = (0.5 + 0.5 * np.sin(3.0 * x @ u))[:, None]

    started = time.perf_counter()
    s1, s2 = 1.0 / np.sqrt(D), 1.0 / np.sqrt(m)
    w1 = rng.standard_normal((m, D))
    w2 = rng.standard_normal((1, m))
    p = m * D + m

    def forward(w1, w2):
        a = np.tanh(s1 * (x @ w1.T))
        return a, 1.0 - a * a, s2 * (a @ w2.T)

    def kernel(a, d1, w2):
        sig = s2 * w2 * d1
        return s2 * s2 * (a @ a.T) + s1 * s1 * (sig @ sig.T) * (x @ x.T)

    a, d1, g = forward(w1, w2)
    k0 = kernel(a, d1, w2)
    k0_norm = np.linalg.norm(k0)
    lam0 = np.linalg.eigvalsh(k0)
    lr = N / lam0[-1]

    def hessian_norm(w1, w2, i):
        xi = x[i]
        z = s1 * (w1 @ xi)
        ai = np.tanh(z)
        e1 = 1.0 - ai * ai
        e2 = -2.0 * ai * e1
        w2v = w2[0]

        def hvp(v):
            v1 = v[: m * D].reshape(m, D)
            v2 = v[m * D:]
            dz = s1 * (v1 @ xi)
            out = np.empty(p)
            out[: m * D] = (s1 * s2 * (v2 * e1 + w2v * e2 * dz))[:, None].__mul__(xi[None, :]).ravel()
            out[m * D:] = s2 * e1 * dz
            return out

        k = lanczos_steps
        basis = np.empty((k, p))
        q = np.random.default_rng(1).standard_normal(p)
        q /= np.linalg.norm(q)
        basis[0] = q
        alpha, beta = np.zeros(k), np.zeros(k)
        q_prev = None
        for j in range(k):
            w = hvp(basis[j])
            if q_prev is not None:
                w -= beta[j - 1] * q_prev
            alpha[j] = basis[j] @ w
            w -= alpha[j] * basis[j]
            before = np.linalg.norm(w)
            q_stored = basis[: j + 1]
            w -= q_stored.T @ (q_stored @ w)
            if np.linalg.norm(w) < before / np.sqrt(2.0):
                w -= q_stored.T @ (q_stored @ w)
            beta[j] = np.linalg.norm(w)
            if j + 1 == k:
                break
            q_prev = basis[j]
            basis[j + 1] = w / beta[j]
        t = np.diag(alpha) + np.diag(beta[: k - 1], 1) + np.diag(beta[: k - 1], -1)
        theta, s = np.linalg.eigh(t)
        residuals = []
        for idx in (0, -1):
            ritz = s[:, idx] @ basis
            residuals.append(np.linalg.norm(hvp(ritz) - theta[idx] * ritz))
        return max(abs(theta[0]), abs(theta[-1])), max(residuals)

    h_init = [hessian_norm(w1, w2, i) for i in range(probes)]

    w1_0, w2_0 = w1.copy(), w2.copy()
    losses, max_dk = [], 0.0
    k_last = k0
    for t in range(steps + 1):
        a, d1, g = forward(w1, w2)
        r = g - y
        losses.append(0.5 * float(np.sum(r * r)) / N)
        r /= N
        g2 = s2 * (r.T @ a)
        delta = s2 * (r @ w2) * d1
        g1 = s1 * (delta.T @ x)
        last = t == steps
        if t % kernel_every == 0 or last:
            grad_norm = np.sqrt(np.sum(g1 * g1) + np.sum(g2 * g2))
            if t > 0:
                k_last = kernel(a, d1, w2)
                max_dk = max(max_dk, np.linalg.norm(k_last - k0) / k0_norm)
            dw = np.concatenate([(w1 - w1_0).ravel(), (w2 - w2_0).ravel()])
            _ = (np.linalg.norm(dw), np.abs(dw).max(), grad_norm)
        if last:
            break
        w1 -= lr * g1
        w2 -= lr * g2
    lam_end = np.linalg.eigvalsh(k_last)
    seconds = time.perf_counter() - started
    print(f"wall.seconds={seconds:.3f}")
    print(f"p={p} loss0={losses[0]:.6g} lossEnd={losses[-1]:.6g} dK={max_dk:.4g} "
          f"||H||={[round(float(h[0]), 6) for h in h_init]} lambdaMax0={lam0[-1]:.6g} lambdaMaxEnd={lam_end[-1]:.6g}")


if __name__ == "__main__":
    main()
