#!/usr/bin/python3
"""Trains the test model on the generated curriculum and writes its weights.

    /usr/bin/python3 tools/test-model/train.py            # writes tools/test-model/trained/weights.npz
    /usr/bin/python3 tools/test-model/make_test_model.py --out models/test-model

CPU only, fixed seed, two single-threaded processes (one per core). Prints the loss as it goes and greedy
held-out accuracy per skill at each evaluation. Needs Debian's python3-torch and an optimised
BLAS (installed when missing and run as root).
"""
import argparse
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def ensure_torch():
    """Installs Debian's python3-torch and an optimised BLAS when missing (as root).

    Debian's torch calls whatever libblas.so.3 is selected; the reference BLAS makes a training
    step about 20 times slower than OpenBLAS.
    """
    missing = []
    try:
        import torch  # noqa: F401
    except ImportError:
        missing.append("python3-torch")
    if subprocess.run(["dpkg", "-s", "libopenblas0-pthread"], capture_output=True).returncode != 0:
        missing.append("libopenblas0-pthread")
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"needs Debian packages {' '.join(missing)}: apt-get install {' '.join(missing)}")
    print(f"installing {' '.join(missing)}", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=24, help="sequences per step, split over the ranks")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--eval-every", type=int, default=500)
    parser.add_argument("--eval-items", type=int, default=12, help="held-out items per skill at each evaluation")
    parser.add_argument("--out", default=os.path.join(HERE, "trained", "weights.npz"))
    parser.add_argument("--ranks", type=int, default=2,
                        help="processes of one thread each that share every step's batch (gradients averaged)")
    args = parser.parse_args()
    if args.batch % args.ranks:
        sys.exit(f"--batch {args.batch} must be a multiple of --ranks {args.ranks}")

    ensure_torch()
    import torch.multiprocessing as mp
    mp.spawn(train, args=(args,), nprocs=args.ranks, join=True)


def train(rank, args):
    # One thread per process: on a busy machine, threads of one process wait for each other at
    # every operation, while processes only meet once a step.
    os.environ["OMP_NUM_THREADS"] = "1"
    import torch
    import torch.distributed as dist
    from testmodel import batches, encoder, evaluation, spec as spec_module, tokenizer, torch_model, weights_file

    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:29517", rank=rank, world_size=args.ranks)
    torch.set_num_threads(1)
    torch.manual_seed(spec_module.SEED)
    spec = spec_module.TRAINED
    tok_json, _, ids, _ = tokenizer.build()
    enc = encoder.Encoder(tok_json)
    model = torch_model.Model(spec, tokenizer.logits_bias(ids, spec.vocab_size))
    params = list(model.parameters())
    log = print if rank == 0 else (lambda *a, **k: None)
    log(f"model: {spec} ({sum(p.numel() for p in params)} parameters), {args.ranks} ranks", flush=True)
    decay = [p for p in params if p.dim() == 2]
    other = [p for p in params if p.dim() != 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": other, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98))
    warmup = max(1, args.steps // 30)

    def lr_at(step):
        if step < warmup:
            return args.lr * (step + 1) / warmup
        progress = (step - warmup) / max(1, args.steps - warmup)
        return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))

    sampler = batches.Sampler(enc, spec_module.SEED * 100 + rank)
    items = evaluation.held_out_items(args.eval_items, spec_module.SEED)
    start, running = time.time(), None
    for step in range(args.steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step)
        x, y = sampler.batch(args.batch // args.ranks)
        logits, _ = model(torch.from_numpy(x))
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, spec.vocab_size), torch.from_numpy(y).reshape(-1),
                                                 ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        # Every rank applies the same averaged gradient, so the weights stay identical.
        flat = torch.cat([p.grad.reshape(-1) for p in params] + [loss.detach().reshape(1)])
        dist.all_reduce(flat)
        flat /= args.ranks
        offset = 0
        for p in params:
            p.grad.copy_(flat[offset:offset + p.numel()].view_as(p))
            offset += p.numel()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        mean_loss = flat[-1].item()
        running = mean_loss if running is None else 0.95 * running + 0.05 * mean_loss
        if step % 25 == 0 or step == args.steps - 1:
            log(f"step {step:5d}  loss {running:.4f}  lr {lr_at(step):.2e}  {time.time() - start:6.0f}s", flush=True)
        last = step == args.steps - 1
        if rank == 0 and ((step + 1) % args.eval_every == 0 or last):
            model.eval()
            per_skill, overall = evaluation.summarise(evaluation.run(model, enc, items, 200, 0, 0))
            model.train()
            log("held-out greedy: " + "  ".join(f"{s} {a:.0%}" for s, (_, a) in per_skill.items())
                + f"  (all {overall['accuracy']:.1%})", flush=True)
            # Written at every evaluation, so an interrupted run still leaves usable weights.
            os.makedirs(os.path.dirname(args.out), exist_ok=True)
            weights_file.save(args.out, model.export())
    log(f"wrote {args.out} after {time.time() - start:.0f}s", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
