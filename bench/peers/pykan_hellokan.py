#!/usr/bin/env python3
"""pykan benchmark peer: reproduces pykan's hellokan.ipynb tutorial and prints one JSON object.

Usage (from the repository root):
    /usr/bin/python3 bench/peers/pykan_hellokan.py --seed S [--steps 50] [--threads 2] [--dtype float64]

Pipeline (as in hellokan.ipynb of the vendored pykan commit, except that the model seed and
the dataset seed are both S; the notebook uses model seed 42 and create_dataset's default seed 0):
    KAN(width=[2,5,1], grid=3, k=3, seed=S)
    f(x,y) = exp(sin(pi x) + y^2), create_dataset(f, n_var=2, train_num=1000, test_num=1000, seed=S)
    fit(opt="LBFGS", steps, lamb=0.001); prune(); fit(steps); refine(10); fit(steps);
    auto_symbolic(lib=[...]); fit(steps); ex_round(symbolic_formula()[0][0], 4)

Only the JSON result goes to stdout; pykan's prints and progress bars go to stderr.
Nothing is written into the repository: no bytecode, and pykan's checkpoints go to a temporary
directory that is removed at exit.
"""
import sys

sys.dont_write_bytecode = True  # no __pycache__ inside bench/peers/pykan

import argparse
import contextlib
import json
import os
import shutil
import tempfile
import time

PYKAN_COMMIT = "ecde4ec3274d3bef1ad737479cf126aed38ab530"
LIB = ['x', 'x^2', 'x^3', 'x^4', 'exp', 'log', 'sqrt', 'tanh', 'sin', 'abs']


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--dtype", choices=["float32", "float64"], default="float64",
                    help="torch default dtype (hellokan.ipynb uses float64)")
    ap.add_argument("--through", choices=["fit", "all"], default="all",
                    help="fit: stop after the first fit (its steps/second); all: the whole workflow")
    args = ap.parse_args()

    os.environ.setdefault("MPLBACKEND", "Agg")
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, "pykan"))

    real_stdout = sys.stdout
    ckpt_dir = tempfile.mkdtemp(prefix="pykan_ckpt_")
    try:
        with contextlib.redirect_stdout(sys.stderr):
            result = run(args, ckpt_dir)
    finally:
        shutil.rmtree(ckpt_dir, ignore_errors=True)
    real_stdout.write(json.dumps(result) + "\n")
    real_stdout.flush()


def run(args, ckpt_dir):
    import torch
    from kan import KAN
    from kan.utils import create_dataset, ex_round

    torch.set_num_threads(args.threads)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    torch.set_default_dtype(dtype)
    device = "cpu"
    S = args.seed
    steps = args.steps

    t_total = time.perf_counter()

    # auto_save=False stops checkpoint writing for this model; prune()/refine() build their new
    # models with auto_save=True hard-coded, so ckpt_path points at a temp dir and auto_save is
    # switched off again on the returned models (see no_save below).
    model = KAN(width=[2, 5, 1], grid=3, k=3, seed=S, device=device,
                auto_save=False, ckpt_path=ckpt_dir)

    f = lambda x: torch.exp(torch.sin(torch.pi * x[:, [0]]) + x[:, [1]] ** 2)
    dataset = create_dataset(f, n_var=2, train_num=1000, test_num=1000, seed=S, device=device)

    def no_save(m):
        m.auto_save = False
        return m

    stages = []
    ops = {}

    def timed_fit(name, **kw):
        t0 = time.perf_counter()
        res = model.fit(dataset, opt="LBFGS", steps=steps, **kw)
        dt = time.perf_counter() - t0
        stages.append({
            "stage": name,
            "train_rmse": float(res["train_loss"][-1]),
            "test_rmse": float(res["test_loss"][-1]),
            "seconds": dt,
            "steps": steps,
            "steps_per_second": steps / dt if dt > 0 else None,
        })

    def timed_op(name, fn):
        t0 = time.perf_counter()
        out = fn()
        ops[name] = time.perf_counter() - t0
        return out

    timed_fit("fit", lamb=0.001)
    if args.through == "fit":
        return {"peer": "pykan", "commit": PYKAN_COMMIT, "torch": torch.__version__, "dtype": args.dtype,
                "threads": torch.get_num_threads(), "seed": S, "stages": stages, "formula": None,
                "width_after_prune": None, "op_seconds": ops, "total_seconds": time.perf_counter() - t_total}
    model = no_save(timed_op("prune", lambda: model.prune()))
    width_after_prune = [int(w) for w in model.width_in]
    timed_fit("pruned")
    model = no_save(timed_op("refine", lambda: model.refine(10)))
    timed_fit("refine 10")
    timed_op("auto_symbolic", lambda: model.auto_symbolic(lib=LIB))
    timed_fit("symbolic")
    formula = timed_op("symbolic_formula", lambda: ex_round(model.symbolic_formula()[0][0], 4))

    total = time.perf_counter() - t_total

    return {
        "peer": "pykan",
        "commit": PYKAN_COMMIT,
        "torch": torch.__version__,
        "dtype": args.dtype,
        "threads": torch.get_num_threads(),
        "seed": S,
        "stages": stages,
        "formula": str(formula),
        "width_after_prune": width_after_prune,
        "op_seconds": ops,
        "total_seconds": total,
    }


if __name__ == "__main__":
    main()
