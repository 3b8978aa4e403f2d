#!/usr/bin/env python3
"""Peer for deep-MLP ensembles (issue 15): what a user would write in vectorised NumPy/SciPy, one
thread, in the style of ../shared/baselines/numpy_ensemble.py, for an MLP of --depth hidden layers of
--width units (erf by default), d_in = 1, inputs -1, -0.6, -0.2, 0.2, 0.6, 1:

  h_1 = W_0 x + b_0,  h_{l+1} = W_l act(h_l) + b_l,  f = W_L act(h_L) + b_L,
  W_0 ~ N(0, sw^2), W_l ~ N(0, sw^2 / N), b ~ N(0, sb^2)   (float32, as nnft's engine)

with raw moments <f f>, <f f f f>, <f^6> over the sorted index tuples accumulated in float64. Prints
one JSON line: nets per second (in-process, after imports), G2 and connected G4 at (0,0,0,0).

usage: numpy_deep_mlp.py --depth 3 --width 256 --nets 2000 [--act erf] [--order 6] [--batch 64] [--seed 0]
"""
import argparse, itertools, json, time
import numpy as np
from scipy.special import erf

ACTS = {'erf': erf, 'relu': lambda z: np.maximum(z, 0), 'tanh': np.tanh}
INPUTS = np.array([-1.0, -0.6, -0.2, 0.2, 0.6, 1.0], dtype=np.float32)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--act', default='erf', choices=sorted(ACTS))
    ap.add_argument('--depth', type=int, default=3)
    ap.add_argument('--width', type=int, default=256)
    ap.add_argument('--nets', type=int, default=2000)
    ap.add_argument('--order', type=int, default=6, choices=[2, 4, 6])
    ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--sw', type=float, default=1.0)
    ap.add_argument('--sb', type=float, default=1.0)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    act, P, N, L = ACTS[a.act], len(INPUTS), a.width, a.depth
    rng = np.random.default_rng(a.seed)
    tuples = {k: np.array(list(itertools.combinations_with_replacement(range(P), k))) for k in (2, 4, 6) if k <= a.order}
    sums = {k: np.zeros(len(t)) for k, t in tuples.items()}
    t0 = time.perf_counter()
    done = 0
    while done < a.nets:
        b = min(a.batch, a.nets - done)
        W0 = rng.standard_normal((b, N, 1), dtype=np.float32) * a.sw
        b0 = rng.standard_normal((b, N, 1), dtype=np.float32) * a.sb
        h = W0 * INPUTS[None, None, :] + b0                                   # [b, N, P]
        for _ in range(L - 1):
            W = rng.standard_normal((b, N, N), dtype=np.float32) * np.float32(a.sw / np.sqrt(N))
            bl = rng.standard_normal((b, N, 1), dtype=np.float32) * a.sb
            h = np.matmul(W, act(h)) + bl
        WL = rng.standard_normal((b, 1, N), dtype=np.float32) * np.float32(a.sw / np.sqrt(N))
        bL = rng.standard_normal((b, 1), dtype=np.float32) * a.sb
        f = (np.matmul(WL, act(h))[:, 0, :] + bL).astype(np.float64)           # [b, P]
        for k, idx in tuples.items():
            sums[k] += np.prod(f[:, idx], axis=2).sum(axis=0)
        done += b
    dt = time.perf_counter() - t0
    g2 = sums[2] / a.nets
    out = {'act': a.act, 'depth': L, 'width': N, 'nets': a.nets, 'seconds': dt, 'nets_per_second': a.nets / dt, 'G2_00': g2[0]}
    if a.order >= 4:
        out['G4c_0000'] = sums[4][0] / a.nets - 3 * g2[0] ** 2
    print(json.dumps(out))

if __name__ == '__main__':
    main()
