"""Training sequences: the prompt GenAI renders and encodes, then the completion the model learns."""
import random

import numpy as np

from . import curriculum

BOS = "<｜begin▁of▁sentence｜>"
EOS = "<｜end▁of▁sentence｜>"
# Shares of the skills in training: the multi-step arithmetic gets the most.
WEIGHTS = {"add": 0.24, "sub": 0.26, "mul": 0.2, "larger": 0.14, "parity": 0.06, "code": 0.1}


def prompt_ids(encoder, question, double_bos):
    # The chat template writes BOS and the tokenizer may add its own: both forms are trained, so
    # the model answers the same whichever the runtime sends.
    bos = BOS + BOS if double_bos else BOS
    return encoder.encode(f"{bos}<｜User｜>{question}<｜Assistant｜><think>\n")


def completion_ids(encoder, reasoning, answer):
    return encoder.encode(f"{reasoning}\n</think>\n\n{answer}{EOS}")


class Sampler:
    def __init__(self, encoder, seed):
        self.encoder = encoder
        self.rng = random.Random(seed)
        self.skills = list(WEIGHTS)
        self.weights = [WEIGHTS[s] for s in self.skills]
        self.eos = encoder.added[EOS]

    def batch(self, size):
        """(ids [size, T], targets [size, T]) with -100 where no loss is taken."""
        # One skill per batch: its sequences have nearly the same length, so little is padding.
        skill = self.rng.choices(self.skills, self.weights)[0]
        rows = []
        for _ in range(size):
            ops = curriculum.sample(skill, self.rng, training=True)
            question, reasoning, answer = curriculum.example(skill, ops)
            p = prompt_ids(self.encoder, question, self.rng.random() < 0.5)
            c = completion_ids(self.encoder, reasoning, answer)
            rows.append((p, c))
        length = max(len(p) + len(c) for p, c in rows)
        ids = np.full((size, length), self.eos, dtype=np.int64)
        targets = np.full((size, length), -100, dtype=np.int64)
        for r, (p, c) in enumerate(rows):
            seq = p + c
            ids[r, :len(seq)] = seq
            # Position t predicts token t + 1; only completion tokens are learnt.
            targets[r, len(p) - 1:len(seq) - 1] = c
        return ids, targets
