"""Held-out accuracy and the temperature study, run on the PyTorch form of the model.

Generation here is plain temperature sampling (no top-p, no top-k) from the same weights the ONNX
files hold; prompts are encoded as GenAI encodes the R1 chat template.
"""
from collections import defaultdict

import torch

from . import batches, curriculum

THINK_END = "</think>"


@torch.no_grad()
def generate(model, prompts, eos, max_tokens, temperature, generator):
    """Completions (token lists, EOS excluded) and whether each stopped at EOS, for prompts of one length."""
    ids = torch.tensor(prompts, dtype=torch.long)
    logits, past = model(ids)
    out = [[] for _ in prompts]
    done = torch.zeros(len(prompts), dtype=torch.bool)
    for _ in range(max_tokens):
        last = logits[:, -1, :]
        if temperature == 0:
            nxt = last.argmax(-1)
        else:
            probs = torch.softmax(last / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
        for r, t in enumerate(nxt.tolist()):
            if not done[r]:
                if t == eos:
                    done[r] = True
                else:
                    out[r].append(t)
        if bool(done.all()):
            break
        logits, past = model(nxt.unsqueeze(-1), past)
    return out, done.tolist()


def run(model, encoder, items, max_tokens, temperature, seed):
    """Generates an answer to every (skill, ops) item; returns one record per item."""
    eos = encoder.added[batches.EOS]
    generator = torch.Generator().manual_seed(seed)
    buckets = defaultdict(list)
    for skill, ops in items:
        question, _, _ = curriculum.example(skill, ops)
        p = batches.prompt_ids(encoder, question, double_bos=False)
        buckets[len(p)].append((skill, ops, p))
    records = []
    for length in sorted(buckets):
        group = buckets[length]
        for start in range(0, len(group), 64):
            chunk = group[start:start + 64]
            outs, stopped = generate(model, [p for _, _, p in chunk], eos, max_tokens, temperature, generator)
            for (skill, ops, _), tokens, stop in zip(chunk, outs, stopped):
                text = encoder.decode(tokens)
                closed = THINK_END in text
                reasoning_tokens = tokens.index(encoder.added[THINK_END]) if closed else len(tokens)
                answer = text.split(THINK_END)[-1].strip() if closed else ""
                records.append({"skill": skill, "ops": ops, "text": text, "tokens": len(tokens),
                                "reasoning_tokens": reasoning_tokens, "closed": closed, "cut": not stop,
                                "correct": closed and curriculum.is_correct(skill, ops, answer)})
    return records


def summarise(records):
    """Per skill: (count, accuracy); overall: accuracy, mean reasoning tokens, closed share, cut share."""
    by_skill = defaultdict(list)
    for r in records:
        by_skill[r["skill"]].append(r["correct"])
    per_skill = {s: (len(v), sum(v) / len(v)) for s, v in by_skill.items()}
    n = len(records)
    overall = {
        "accuracy": sum(r["correct"] for r in records) / n,
        "reasoning_tokens": sum(r["reasoning_tokens"] for r in records) / n,
        "closed": sum(r["closed"] for r in records) / n,
        "cut": sum(r["cut"] for r in records) / n,
    }
    return per_skill, overall


def held_out_items(per_skill, seed):
    return [(skill, ops) for skill in curriculum.SKILLS for ops in curriculum.held_out_set(skill, per_skill, seed)]
