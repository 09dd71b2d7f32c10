#!/usr/bin/python3
"""Writes the miniature DeepSeek-R1-Distill-Qwen-style test model in ONNX Runtime GenAI's format.

    /usr/bin/python3 tools/test-model/make_test_model.py --out models/test-model

Writes <out>/standard (GroupQueryAttention, past/present KV) and <out>/paged (dynamic-batching
engine contract) from the same weights. Output is deterministic: same bytes on every run.
Needs Debian's python3-onnx and python3-numpy.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testmodel import genai_config, paged, spec as spec_module, standard, tokenizer  # noqa: E402


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
    parser.add_argument("--hidden-size", type=int, default=spec_module.Spec.hidden_size,
                        help="model width (the committed test model keeps the default; larger widths make benchmark models)")
    args = parser.parse_args()
    if args.hidden_size % 16 or args.hidden_size < 64:
        sys.exit(f"--hidden-size must be a multiple of 16 and at least 64; got {args.hidden_size}")

    # Wider models keep the head layout's shape: 4 query heads and 2 KV heads, MLP twice the width.
    head_size = args.hidden_size // 4
    spec = spec_module.Spec(hidden_size=args.hidden_size, head_size=head_size, intermediate_size=2 * args.hidden_size)
    tok_json, tok_config, ids, vocab_size = tokenizer.build()
    if vocab_size != spec.vocab_size:
        sys.exit(f"tokenizer has {vocab_size} tokens, model expects {spec.vocab_size}")
    weights = spec_module.make_weights(spec)
    weights["logits_bias"] = tokenizer.logits_bias(ids, spec.vocab_size)

    import onnx
    std_model = standard.build(spec, weights)
    paged_model = paged.build(spec, weights, genai_config.PAGED_BLOCK_SIZE)
    for model in (std_model, paged_model):
        onnx.checker.check_model(model)

    write_folder(os.path.join(args.out, "standard"), std_model, genai_config.standard(spec, ids), tok_json, tok_config)
    write_folder(os.path.join(args.out, "paged"), paged_model, genai_config.paged(spec, ids), tok_json, tok_config)


if __name__ == "__main__":
    main()
