#!/usr/bin/python3
"""Measures the trained test model on held-out questions: greedy accuracy per skill, then the
temperature study (accuracy, reasoning length, closed reasoning, cut by max_tokens).

    /usr/bin/python3 tools/test-model/evaluate.py

Runs the PyTorch form of the committed weights (the same numbers the ONNX files hold) with plain
temperature sampling: no top-p, no top-k. Needs Debian's python3-torch.
"""
import argparse
from collections import Counter
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from train import ensure_torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", default=os.path.join(HERE, "trained", "weights.npz"))
    parser.add_argument("--items", type=int, default=100, help="held-out questions per skill (parity has 99, products 100)")
    parser.add_argument("--temperatures", default="0,0.5,0.9,1.3")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--seed", type=int, default=1)
    # One thread by default: the figures in models/test-model/README.md were measured so.
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    # Read by OpenMP and OpenBLAS when torch loads them.
    os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    ensure_torch()
    import torch
    from testmodel import curriculum, encoder, evaluation, spec as spec_module, tokenizer, torch_model, weights_file

    torch.set_num_threads(args.threads)
    spec = spec_module.TRAINED
    tok_json, _, ids, _ = tokenizer.build()
    enc = encoder.Encoder(tok_json)
    model = torch_model.Model(spec, tokenizer.logits_bias(ids, spec.vocab_size))
    model.load(weights_file.load(args.weights))
    model.eval()
    items = evaluation.held_out_items(args.items, spec_module.SEED)
    counts = Counter(skill for skill, _ in items)
    print("held-out questions: " + ", ".join(f"{s} {n}" for s, n in counts.items())
          + f" ({len(items)} in all), max_tokens {args.max_tokens}\n")

    rows = []
    for temperature in (float(t) for t in args.temperatures.split(",")):
        start = time.time()
        records = evaluation.run(model, enc, items, args.max_tokens, temperature, args.seed)
        per_skill, overall = evaluation.summarise(records)
        rows.append((temperature, per_skill, overall))
        print(f"temperature {temperature}: {time.time() - start:.0f}s", file=sys.stderr, flush=True)
        if temperature == 0:
            wrong = [r for r in records if not r["correct"]]
            for r in wrong[:5]:
                print(f"wrong ({r['skill']} {r['ops']}): {r['text'][-120:]!r}", file=sys.stderr)

    skills = list(curriculum.SKILLS)
    print("| temperature | " + " | ".join(skills) + " | all | mean reasoning tokens | closed </think> | cut by max_tokens |")
    print("|---" * (len(skills) + 5) + "|")
    for temperature, per_skill, overall in rows:
        cells = [f"{per_skill[s][1]:.0%}" for s in skills]
        print(f"| {temperature:g} | " + " | ".join(cells) + f" | {overall['accuracy']:.1%} | "
              f"{overall['reasoning_tokens']:.1f} | {overall['closed']:.0%} | {overall['cut']:.0%} |")


if __name__ == "__main__":
    main()
