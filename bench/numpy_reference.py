#!/usr/bin/env python3
"""A straightforward NumPy implementation of one ntklab experiment, for timing only (float64).

The mathematics of SCIENCE.md, written directly: a fully connected network in the NTK
parameterisation (z_l = W_l a_{l-1} / sqrt(m_{l-1}), a_l = tanh z_l, g = W_{L+1} a_L / sqrt(m_L),
f = phi(g), no biases) with a linear, swish or softmax output map, the output layer trained or
frozen (then its entries are +/-1), n unit inputs in d dimensions, c outputs; squared loss
L = 1/(2n) sum ||f - y||^2, lr = eta n / lambda_max(K(w_0)), full-batch GD for `steps` steps. At
step 0, every `kernel_every` steps and the last step: the full tangent kernel K(w_t) (n c x n c,
per-layer Gram products of backpropagated signals), dK, ||w_t - w_0|| (2 and inf) and the gradient
norm; the kernel spectrum at init and end; ||H_0(w; x_i)|| of the first `probes` inputs by Lanczos
with full reorthogonalisation (classical Gram-Schmidt, repeated when DGKS asks) on exact
Hessian-vector products (Pearlmutter's R-operator, written out below), stopped after
`lanczos_steps` steps or when both extreme Ritz pairs have residual bound <= tol * ||H||, then the
two measured Ritz residuals; at init, or at init and at the end.

Usage:
    numpy_reference.py m steps kernel_every probes lanczos_steps          (the shallow benchmark net)
    numpy_reference.py --hidden 1000,1000,1000 --n 100 --d 10 --c 1 --output linear --steps 100 \
        --kernel-every 25 --probes 2 --lanczos-steps 30 --hessian-at init-and-end [--frozen] [--tol 1e-6]
Prints wall.seconds (from the initial weights to the end; data generation excluded) and a summary.
"""
import argparse
import sys
import time

import numpy as np


def tanh_derivatives(z):
    a = np.tanh(z)
    d1 = 1.0 - a * a
    return a, d1, -2.0 * a * d1


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


class OutputMap:
    """phi and what the gradient, the kernel and the HVP need of it."""

    def __init__(self, name):
        self.name = name

    def apply(self, g):
        if self.name == "linear":
            return g
        if self.name == "swish":
            return g * sigmoid(g)
        e = np.exp(g - g.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def swish_d1(self, g):
        s = sigmoid(g)
        return s + g * s * (1.0 - s)

    def swish_d2(self, g):
        s = sigmoid(g)
        return s * (1.0 - s) * (2.0 + g * (1.0 - 2.0 * s))

    def vjp(self, g, f, df):
        """dL/dg from dL/df, rows = examples."""
        if self.name == "linear":
            return df
        if self.name == "swish":
            return df * self.swish_d1(g)
        return f * (df - np.sum(df * f, axis=1, keepdims=True))

    def jacobians(self, g, f):
        """d f_i / d g_i for every example: (n, c, c)."""
        n, c = g.shape
        if self.name == "linear":
            return np.broadcast_to(np.eye(c), (n, c, c))
        if self.name == "swish":
            return np.einsum("ik,kl->ikl", self.swish_d1(g), np.eye(c))
        return np.einsum("ik,kl->ikl", f, np.eye(c)) - f[:, :, None] * f[:, None, :]

    def cotangent(self, g, k):
        """delta_g = d f_k / d g for one example (c,) and its directional derivative along rg."""
        c = g.shape[0]
        e = np.zeros(c)
        e[k] = 1.0
        if self.name == "linear":
            return e, lambda rg: np.zeros(c)
        if self.name == "swish":
            return e * self.swish_d1(g), lambda rg: e * self.swish_d2(g) * rg
        p = self.apply(g)
        delta = p[k] * (e - p)

        def r(rg):
            rp = p * (rg - p @ rg)
            return rp[k] * (e - p) - p[k] * rp

        return delta, r


class Net:
    def __init__(self, d, hidden, c, output, frozen, rng):
        self.widths = [d] + list(hidden) + [c]
        self.scales = [1.0 / np.sqrt(w) for w in self.widths[:-1]]
        self.weights = [rng.standard_normal((self.widths[l + 1], self.widths[l])) for l in range(len(hidden))]
        last = (rng.integers(0, 2, (c, self.widths[-2])) * 2 - 1).astype(float) if frozen \
            else rng.standard_normal((c, self.widths[-2]))
        self.weights.append(last)
        self.trainable = [True] * len(hidden) + [not frozen]
        self.phi = OutputMap(output)

    def parameter_count(self):
        return sum(w.size for w, t in zip(self.weights, self.trainable) if t)

    def forward(self, x):
        acts, ders = [x], []
        a = x
        for s, w in zip(self.scales[:-1], self.weights[:-1]):
            a, d1, _ = tanh_derivatives(s * (a @ w.T))
            acts.append(a)
            ders.append(d1)
        g = self.scales[-1] * (a @ self.weights[-1].T)
        return acts, ders, g, self.phi.apply(g)

    def gradient(self, acts, ders, g, f, y):
        n = y.shape[0]
        delta = self.phi.vjp(g, f, (f - y) / n)
        grads = [None] * len(self.weights)
        for l in range(len(self.weights) - 1, -1, -1):
            s = self.scales[l]
            if self.trainable[l]:
                grads[l] = s * (delta.T @ acts[l])
            if l > 0:
                delta = s * (delta @ self.weights[l]) * ders[l - 1]
        return grads

    def kernel(self, acts, ders, g, f):
        """Full K = J J^T, (n c, n c): rows (i, k) of the signals d f_k(x_i) / d z_l."""
        n, c = g.shape
        jac = self.phi.jacobians(g, f)
        signal = jac.reshape(n * c, c)           # d f_(i,k) / d g_i
        k = np.zeros((n * c, n * c))
        for l in range(len(self.weights) - 1, -1, -1):
            s = self.scales[l]
            gram_a = acts[l] @ acts[l].T
            if self.trainable[l]:
                gram_signal = signal @ signal.T
                if c == 1:
                    k += s * s * gram_signal * gram_a
                else:
                    k += s * s * gram_signal * np.kron(gram_a, np.ones((c, c)))
            if l > 0:
                signal = s * (signal @ self.weights[l]) * np.repeat(ders[l - 1], c, axis=0)
        return k

    def hvp_operator(self, x, out):
        """v -> H v for H = d^2 f_out(w; x) / dw^2 (trainable layers only), by the R-operator."""
        acts, d1s, d2s = [x], [], []
        a = x
        for s, w in zip(self.scales[:-1], self.weights[:-1]):
            a, d1, d2 = tanh_derivatives(s * (w @ a))
            acts.append(a)
            d1s.append(d1)
            d2s.append(d2)
        g = self.scales[-1] * (self.weights[-1] @ a)
        delta_g, r_delta_g = self.phi.cotangent(g, out)
        # the backward pass at w (independent of v)
        deltas = [None] * len(self.weights)       # d f / d z_l (l < L+1) and d f / d g (last)
        deltas[-1] = delta_g
        da = [None] * len(self.weights)           # d f / d a_l for l = 0..L
        for l in range(len(self.weights) - 1, 0, -1):
            da[l] = self.scales[l] * (self.weights[l].T @ deltas[l])
            deltas[l - 1] = da[l] * d1s[l - 1]
        shapes = [w.shape for w, t in zip(self.weights, self.trainable) if t]
        layers = [l for l, t in enumerate(self.trainable) if t]

        def apply(v):
            vs = [None] * len(self.weights)
            offset = 0
            for l, shape in zip(layers, shapes):
                size = shape[0] * shape[1]
                vs[l] = v[offset:offset + size].reshape(shape)
                offset += size
            # R-forward: tangents of z_l and a_l
            ra = [np.zeros_like(x)]
            rz = []
            for l in range(len(self.weights) - 1):
                t = self.weights[l] @ ra[l]
                if vs[l] is not None:
                    t = t + vs[l] @ acts[l]
                t *= self.scales[l]
                rz.append(t)
                ra.append(d1s[l] * t)
            rg = self.weights[-1] @ ra[-1]
            if vs[-1] is not None:
                rg = rg + vs[-1] @ acts[-1]
            rg *= self.scales[-1]
            # R-backward
            out_parts = [None] * len(self.weights)
            r_delta = r_delta_g(rg)
            for l in range(len(self.weights) - 1, -1, -1):
                s = self.scales[l]
                if self.trainable[l]:
                    out_parts[l] = s * (np.outer(r_delta, acts[l]) + np.outer(deltas[l], ra[l]))
                if l > 0:
                    r_da = self.weights[l].T @ r_delta
                    if vs[l] is not None:
                        r_da = r_da + vs[l].T @ deltas[l]
                    r_da *= s
                    r_delta = r_da * d1s[l - 1] + da[l] * d2s[l - 1] * rz[l - 1]
            return np.concatenate([out_parts[l].ravel() for l in layers])

        return apply


def lanczos(hvp, p, max_steps, tol, seed):
    """Extreme eigenvalues by Lanczos with full reorthogonalisation; (norm, iterations, residual)."""
    basis = np.empty((max_steps, p))
    q = np.random.default_rng(seed).standard_normal(p)
    basis[0] = q / np.linalg.norm(q)
    alpha, beta = np.zeros(max_steps), np.zeros(max_steps)
    k = max_steps
    for j in range(max_steps):
        w = hvp(basis[j])
        if j > 0:
            w -= beta[j - 1] * basis[j - 1]
        alpha[j] = basis[j] @ w
        w -= alpha[j] * basis[j]
        before = np.linalg.norm(w)
        stored = basis[: j + 1]
        w -= stored.T @ (stored @ w)
        if np.linalg.norm(w) < before / np.sqrt(2.0):
            w -= stored.T @ (stored @ w)
        beta[j] = np.linalg.norm(w)
        t = np.diag(alpha[: j + 1]) + np.diag(beta[:j], 1) + np.diag(beta[:j], -1)
        theta, s = np.linalg.eigh(t)
        norm = max(abs(theta[0]), abs(theta[-1]))
        bound = beta[j] * max(abs(s[-1, 0]), abs(s[-1, -1]))
        if bound <= tol * max(norm, np.finfo(float).tiny) or j + 1 == max_steps:
            k = j + 1
            break
        basis[j + 1] = w / beta[j]
    residuals = []
    for idx in (0, -1):
        ritz = s[:, idx] @ basis[:k]
        residuals.append(np.linalg.norm(hvp(ritz) - theta[idx] * ritz))
    return norm, k, max(residuals)


def run(args):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((args.n, args.d))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    u = rng.standard_normal((args.d, args.c))
    y = 0.5 + 0.5 * np.sin(3.0 * x @ u / np.linalg.norm(u, axis=0))

    started = time.perf_counter()
    net = Net(args.d, args.hidden, args.c, args.output, args.frozen, rng)
    p = net.parameter_count()
    acts, ders, g, f = net.forward(x)
    k0 = net.kernel(acts, ders, g, f)
    k0_norm = np.linalg.norm(k0)
    lam0 = np.linalg.eigvalsh(k0)
    lr = args.eta * args.n / lam0[-1]

    def hessian():
        return [lanczos(net.hvp_operator(x[i], 0), p, args.lanczos_steps, args.tol, 1) for i in range(args.probes)]

    h_init = hessian()
    h_end = None
    w0 = [w.copy() for w in net.weights]
    losses, max_dk, k_last = [], 0.0, k0
    for t in range(args.steps + 1):
        acts, ders, g, f = net.forward(x)
        r = f - y
        losses.append(0.5 * float(np.sum(r * r)) / args.n)
        grads = net.gradient(acts, ders, g, f, y)
        last = t == args.steps
        if t % args.kernel_every == 0 or last:
            grad_norm = np.sqrt(sum(np.sum(gr * gr) for gr in grads if gr is not None))
            if t > 0:
                k_last = net.kernel(acts, ders, g, f)
                max_dk = max(max_dk, np.linalg.norm(k_last - k0) / k0_norm)
            dw = np.concatenate([(w - w_0).ravel() for w, w_0, tr in zip(net.weights, w0, net.trainable) if tr])
            _ = (np.linalg.norm(dw), np.abs(dw).max(), grad_norm)
            if last and args.hessian_at == "init-and-end":
                h_end = hessian()
        if last:
            break
        for w, gr in zip(net.weights, grads):
            if gr is not None:
                w -= lr * gr
    lam_end = np.linalg.eigvalsh(k_last)
    seconds = time.perf_counter() - started
    print(f"wall.seconds={seconds:.3f}")
    print(f"p={p} loss0={losses[0]:.6g} lossEnd={losses[-1]:.6g} dK={max_dk:.4g} "
          f"||H0||={[round(float(h[0]), 6) for h in h_init]} iterations={[h[1] for h in h_init]} "
          f"||H_end||={None if h_end is None else [round(float(h[0]), 6) for h in h_end]} "
          f"lambdaMax0={lam0[-1]:.6g} lambdaMaxEnd={lam_end[-1]:.6g}")


def main():
    if len(sys.argv) == 6 and all(a.isdigit() for a in sys.argv[1:]):
        m, steps, every, probes, lanczos_steps = (int(a) for a in sys.argv[1:6])
        args = argparse.Namespace(hidden=[m], n=100, d=10, c=1, output="linear", frozen=False, steps=steps,
                                  kernel_every=every, probes=probes, lanczos_steps=lanczos_steps, tol=0.0,
                                  hessian_at="init", eta=1.0)
    else:
        parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
        parser.add_argument("--hidden", type=lambda s: [int(v) for v in s.split(",")], required=True)
        parser.add_argument("--n", type=int, default=100)
        parser.add_argument("--d", type=int, default=10)
        parser.add_argument("--c", type=int, default=1)
        parser.add_argument("--output", choices=["linear", "swish", "softmax"], default="linear")
        parser.add_argument("--frozen", action="store_true", help="frozen +/-1 output layer")
        parser.add_argument("--steps", type=int, default=200)
        parser.add_argument("--kernel-every", type=int, default=50)
        parser.add_argument("--probes", type=int, default=2)
        parser.add_argument("--lanczos-steps", type=int, default=30)
        parser.add_argument("--tol", type=float, default=0.0, help="Lanczos relative residual target (0: all steps)")
        parser.add_argument("--hessian-at", choices=["init", "init-and-end"], default="init-and-end")
        parser.add_argument("--eta", type=float, default=0.5)
        args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
