#!/usr/bin/python3
"""Writes the miniature DeepSeek-R1-Distill-Qwen-style test model in ONNX Runtime GenAI's format.

    /usr/bin/python3 tools/test-model/make_test_model.py --out models/test-model

Writes <out>/standard (GroupQueryAttention, past/present KV) and <out>/paged (dynamic-batching
engine contract) from the same weights: the trained ones in trained/weights.npz (see train.py),
or, with --hidden-size, random ones of a wider benchmark shape. Output is deterministic: same
bytes on every run. Needs Debian's python3-onnx and python3-numpy.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testmodel import genai_config, paged, spec as spec_module, standard, tokenizer, weights_file  # noqa: E402

WEIGHTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trained", "weights.npz")


def write_json(path, value):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(value, f, ensure_ascii=False, indent=2)
        f.write("\n")


def write_folder(folder, model, config, tok_json, tok_config):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    write_json(os.path.join(folder, "genai_config.json"), config)
    write_json(os.path.join(folder, "tokenizer.json"), tok_json)
    write_json(os.path.join(folder, "tokenizer_config.json"), tok_config)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="folder to write standard/ and paged/ into")
    parser.add_argument("--hidden-size", type=int,
                        help="write a random model of this width instead of the trained one (benchmark models)")
    parser.add_argument("--weights", default=WEIGHTS, help="trained weights (.npz written by train.py)")
    args = parser.parse_args()
    tok_json, tok_config, ids, vocab_size = tokenizer.build()
    if args.hidden_size is None:
        spec = spec_module.TRAINED
        weights = load_trained(args.weights, spec)
    else:
        if args.hidden_size % 16 or args.hidden_size < 64:
            sys.exit(f"--hidden-size must be a multiple of 16 and at least 64; got {args.hidden_size}")
        # Random models keep the original head layout: 4 query heads and 2 KV heads, MLP twice the width.
        spec = spec_module.Spec(hidden_size=args.hidden_size, head_size=args.hidden_size // 4,
                                intermediate_size=2 * args.hidden_size)
        weights = spec_module.make_weights(spec)
    if vocab_size != spec.vocab_size:
        sys.exit(f"tokenizer has {vocab_size} tokens, model expects {spec.vocab_size}")
    weights["logits_bias"] = tokenizer.logits_bias(ids, spec.vocab_size)

    import onnx
    std_model = standard.build(spec, weights)
    paged_model = paged.build(spec, weights, genai_config.PAGED_BLOCK_SIZE)
    for model in (std_model, paged_model):
        onnx.checker.check_model(model)

    write_folder(os.path.join(args.out, "standard"), std_model, genai_config.standard(spec, ids), tok_json, tok_config)
    write_folder(os.path.join(args.out, "paged"), paged_model, genai_config.paged(spec, ids), tok_json, tok_config)


def load_trained(path, spec):
    if not os.path.exists(path):
        sys.exit(f"--weights {path} does not exist; train it with tools/test-model/train.py")
    weights = weights_file.load(path)
    expected = spec_module.shapes(spec)
    wrong = {n: weights[n].shape if n in weights else None for n, shape in expected.items()
             if n not in weights or weights[n].shape != shape}
    if wrong or set(weights) - set(expected):
        sys.exit(f"--weights {path} does not match the model shape {spec}: {wrong or sorted(set(weights) - set(expected))}")
    return weights


if __name__ == "__main__":
    main()
