#!/usr/bin/env python3
"""Reference values for ActivationAccuracyTest: sigma, sigma', sigma'' of the eight activations at
40 significant digits (mpmath), rounded once to the nearest double, on a dense grid of floats plus
edge values. Also the erf polynomial fits of org.ntklab.core.nn.Erf and tanh's polynomial of
ScalarActivationLoops.TANH_SMALL (--fits).

    python3 activations.py            # writes activations-reference.txt.gz next to this file
    python3 activations.py --fits     # prints the polynomial coefficients of Erf.java and TANH_SMALL

Each line: x, then for IDENTITY TANH SIGMOID SWISH SOFTPLUS GELU ERF RELU in that order the triple
sigma sigma' sigma'', then the cancellation scales of swish', swish'' and gelu' (the largest term
of their sums; near their roots no formula evaluated in double has a small relative error).
Numbers are Python float reprs (shortest round-trip), 'inf', '-inf', 'nan'."""
import gzip, math, os, struct, sys
import mpmath as mp

mp.mp.dps = 40

def f32(x):
    return struct.unpack('f', struct.pack('f', x))[0]

def rnd(v):
    """The nearest double to an mpf (via a 45-digit decimal string: one correct rounding)."""
    if mp.isnan(v):
        return float('nan')
    if mp.isinf(v):
        return float('inf') if v > 0 else float('-inf')
    if v == 0:
        return 0.0
    return float(mp.nstr(v, 45, strip_zeros=False, min_fixed=1, max_fixed=0))

def logistic(x):
    return 1 / (1 + mp.exp(-x))

def triples(x):
    X = mp.mpf(x)
    if abs(x) > 1e5:  # every e^(-|x|) term is far below the smallest subnormal: the limits, exactly
        pos = X > 0
        t = 1 if pos else -1
        return [(X, 1, 0), (t, 0, 0), (1 if pos else 0, 0, 0), (X if pos else 0, 1 if pos else 0, 0),
                (X if pos else 0, 1 if pos else 0, 0), (X if pos else 0, 1 if pos else 0, 0), (t, 0, 0),
                (X if pos else 0, 1 if pos else 0, 0)], (0, 0, 0)
    th = mp.tanh(X)
    sech2 = 1 / mp.cosh(X) ** 2
    s = logistic(X)
    q = logistic(-X)  # 1 - s without cancellation
    sp = s * q
    m = -mp.tanh(X / 2)  # 1 - 2s
    Phi = mp.ncdf(X)
    phi = mp.npdf(X)
    e2 = 2 / mp.sqrt(mp.pi) * mp.exp(-X * X)
    out = [
        (X, 1, 0),
        (th, sech2, -2 * th * sech2),
        (s, sp, sp * m),
        (X * s, s + X * sp, sp * (2 + X * m)),
        (mp.log1p(mp.exp(X)) if X < 30 else X + mp.log1p(mp.exp(-X)), s, sp),
        (X * Phi, Phi + X * phi, phi * (2 - X * X)),
        (mp.erf(X), e2, -2 * X * e2),
        (max(X, 0), 1 if X > 0 else 0, 0),
    ]
    scales = (max(abs(s), abs(X * sp)), sp * max(2, abs(X * m)), max(abs(Phi), abs(X * phi)))
    return out, scales

def grid():
    xs = set()
    top = math.asinh(50.0)
    n = 1000
    for k in range(n + 1):
        xs.add(f32(math.sinh(-top + 2 * top * k / n)))
    specials = [0.55, 0.5, 1.5, 2.75, 5.0, 0.5 * math.sqrt(2), 1.5 * math.sqrt(2), 2.75 * math.sqrt(2),
                5 * math.sqrt(2), 1.2784645427610738, 2.399357280515467, 0.7517915241, 1.4142135623730951,
                27.0, 27.3, 38.5, 38.7]
    for c in specials:
        for d in range(-3, 4):
            for sign in (1, -1):
                xs.add(sign * f32(c * (1 + d * 2.0 ** -20)))
                xs.add(sign * (c * (1 + d * 2.0 ** -50)))
    tiny = [0.0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e-200, 1.401298464324817e-45, 1.1754943508222875e-38,
            1e-20, 1e-8, 1e-4, 20.0, 22.0, 40.0, 100.0, 700.0, 709.5, 710.0, 745.0, 746.0, 1e4, 1e10, 1e100,
            1e154, 1e155, 1e300, 3.4028234663852886e38, 1.7976931348623157e308]
    for t in tiny:
        xs.add(t)
        xs.add(-t)
    xs = sorted(xs, key=lambda v: (v, math.copysign(1, v)))
    return xs + [float('inf'), float('-inf')]

def fmt(v):
    if isinstance(v, float) and math.isnan(v):
        return 'nan'
    if v == float('inf'):
        return 'inf'
    if v == float('-inf'):
        return '-inf'
    return repr(v)

def chebyshev_fit(f, a, b, deg):
    """Monomial coefficients in t = (x - c) / h of the interpolant of f at the deg + 1 Chebyshev
    nodes of [a, b] (near-minimax), solved at 50 digits."""
    with mp.workdps(50):
        nodes = [mp.cos(mp.pi * (k + mp.mpf(1) / 2) / (deg + 1)) for k in range(deg + 1)]
        c, h = (a + b) / 2, (b - a) / 2
        A = mp.matrix([[t ** j for j in range(deg + 1)] for t in nodes])
        coef = mp.lu_solve(A, mp.matrix([f(c + h * t) for t in nodes]))
        return [coef[j] for j in range(deg + 1)], c, h

def fits():
    """The pieces of Erf.java: the lowest degree whose interpolant is within 3e-18 relative."""
    def small(y):  # erf(u) / u in y = u^2
        return 2 / mp.sqrt(mp.pi) if y == 0 else mp.erf(mp.sqrt(y)) / mp.sqrt(y)
    def erfcx(u):
        return mp.exp(u * u) * mp.erfc(u)
    def tail(w):  # u erfcx(u) in w = 1 / u^2
        return 1 / mp.sqrt(mp.pi) if w == 0 else erfcx(1 / mp.sqrt(w)) / mp.sqrt(w)
    pieces = [("SMALL", small, 0, mp.mpf('0.25')), ("NEAR", erfcx, mp.mpf('0.5'), mp.mpf('1.5')),
              ("MID", erfcx, mp.mpf('1.5'), mp.mpf('2.75')), ("FAR", erfcx, mp.mpf('2.75'), mp.mpf(5)),
              ("TAIL", tail, 0, mp.mpf(1) / 25)]
    for name, f, a, b in pieces:
        for deg in range(6, 26):
            coef, c, h = chebyshev_fit(f, a, b, deg)
            with mp.workdps(50):
                err = max(abs(sum(cc * ((x - c) / h) ** j for j, cc in enumerate(coef)) / f(x) - 1)
                          for x in (a + (b - a) * mp.mpf(k) / 400 for k in range(401)))
            if err < 3e-18:
                break
        print(name, 'degree', deg, 'max relative error', mp.nstr(err, 3), 'center', c, 'half width', h)
        print(', '.join(repr(float(x)) for x in coef))
    tanh_fit()
    tanh_exp_fit()

def tanh_fit():
    """ScalarActivationLoops.TANH_SMALL: P(u) with tanh x = x + x u P(u), u = x^2 in [0, 1], the
    interpolant of (tanh(sqrt u) / sqrt u - 1) / u at the 16 Chebyshev points of [0, 1] in monomials
    of u, solved at 60 digits; the largest error of t = x + x u P (P's coefficients rounded to
    double) on 2001 points, relative to t."""
    with mp.workdps(60):
        def g(u):
            if u == 0:
                return -mp.mpf(1) / 3
            x = mp.sqrt(u)
            return (mp.tanh(x) / x - 1) / u
        n = 16
        nodes = [(1 + mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n)) / 2 for k in range(n)]
        A = mp.matrix([[u ** j for j in range(n)] for u in nodes])
        coef = mp.lu_solve(A, mp.matrix([g(u) for u in nodes]))
        rounded = [float(coef[j]) for j in range(n)]
        err = 0
        for k in range(1, 2001):
            u = mp.mpf(k) / 2000
            x = mp.sqrt(u)
            t = x + x * u * sum(mp.mpf(c) * u ** j for j, c in enumerate(rounded))
            err = max(err, abs(t / mp.tanh(x) - 1))
    print('TANH_SMALL degree', n - 1, 'max relative error of t', mp.nstr(err, 3))
    print(', '.join(repr(c) for c in rounded))

def tanh_exp_fit():
    """ScalarActivationLoops.TANH_EXP: Q(r) with e^r - 1 = r + r^2 Q(r), |r| <= ln2 / 2 (tanh's
    e^(-2|x|) beyond |x| = 1), the interpolant of (e^r - 1 - r) / r^2 at the 11 Chebyshev points of
    [-0.3466, 0.3466] in monomials of r, solved at 60 digits; the largest error of 1 + q (Q's
    coefficients rounded to double) on 6001 points, relative to e^r."""
    with mp.workdps(60):
        a = mp.mpf('0.3466')
        def q(r):
            if abs(r) < mp.mpf('1e-20'):
                return mp.mpf(1) / 2 + r / 6
            return (mp.exp(r) - 1 - r) / (r * r)
        n = 11
        nodes = [a * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
        A = mp.matrix([[r ** j for j in range(n)] for r in nodes])
        coef = mp.lu_solve(A, mp.matrix([q(r) for r in nodes]))
        rounded = [float(coef[j]) for j in range(n)]
        err = 0
        for k in range(-3000, 3001):
            r = a * k / 3000
            approx = r + r * r * sum(mp.mpf(c) * r ** j for j, c in enumerate(rounded))
            err = max(err, abs((1 + approx) / mp.exp(r) - 1))
    print('TANH_EXP degree', n - 1, 'max relative error of 1 + q', mp.nstr(err, 3))
    print(', '.join(repr(c) for c in rounded))

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rows = []
    for x in grid():
        out, scales = triples(x)
        vals = [x] + [rnd(mp.mpf(c)) for t in out for c in t] + [rnd(mp.mpf(c)) for c in scales]
        if x == 0 and math.copysign(1, x) < 0:
            vals[1] = -0.0   # identity(-0) = -0 and so on: signs of zero are not compared
        rows.append(' '.join(fmt(v) for v in vals))
    nan = ['nan'] * 28
    nan[2], nan[3], nan[23], nan[24] = '1.0', '0.0', '0.0', '0.0'  # identity' = 1, '' = 0; relu' and '' = 0
    rows.append(' '.join(nan))
    with gzip.open(os.path.join(here, 'activations-reference.txt.gz'), 'wt') as f:
        f.write('\n'.join(rows) + '\n')
    print(len(rows), 'rows', file=sys.stderr)

if __name__ == '__main__':
    fits() if '--fits' in sys.argv else main()
