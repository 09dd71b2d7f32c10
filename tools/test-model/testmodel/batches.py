"""Training sequences: the prompt GenAI renders and encodes, then the completion the model learns."""
import random

import numpy as np

from . import curriculum

BOS = "<｜begin▁of▁sentence｜>"
EOS = "<｜end▁of▁sentence｜>"
# Shares of the skills in training: the skills that are slowest to learn get the most (products
# need the whole multiplication table, differences their borrows); parity and the code template
# are learnt from few examples.
WEIGHTS = {"add": 0.16, "sub": 0.24, "mul": 0.32, "larger": 0.16, "parity": 0.04, "code": 0.08}


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
