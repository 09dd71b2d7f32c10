"""Encodes and decodes text with the tokenizer.json that tokenizer.build() writes.

Training and evaluation need the token ids ONNX Runtime GenAI's tokenizer produces; this is the
same byte-level BPE (added tokens split out first, the Qwen2 split, merges by rank), written for
the ASCII text of the curriculum and the R1 markers.
"""
import re

from .tokenizer import _TRAIN_SPLIT, byte_to_unicode


class Encoder:
    def __init__(self, tokenizer_json):
        model = tokenizer_json["model"]
        self.vocab = dict(model["vocab"])
        self.ranks = {tuple(m.split(" ")): i for i, m in enumerate(model["merges"])}
        self.added = {t["content"]: t["id"] for t in tokenizer_json["added_tokens"]}
        self.id_to_text = {i: s for s, i in self.vocab.items()}
        self.id_to_text.update({i: s for s, i in self.added.items()})
        self.to_char = byte_to_unicode()
        self.from_char = {c: b for b, c in self.to_char.items()}
        self._special = re.compile("(" + "|".join(re.escape(s) for s in sorted(self.added, key=len, reverse=True)) + ")")
        self._cache = {}

    def encode(self, text):
        ids = []
        for part in self._special.split(text):
            if not part:
                continue
            if part in self.added:
                ids.append(self.added[part])
                continue
            for piece in _TRAIN_SPLIT.findall(part):
                ids.extend(self._bpe(piece))
        return ids

    def _bpe(self, piece):
        if piece in self._cache:
            return self._cache[piece]
        word = [self.to_char[b] for b in piece.encode("utf-8")]
        while len(word) > 1:
            pairs = [(self.ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(word, word[1:]))]
            rank, i = min(pairs)
            if rank == 1 << 30:
                break
            word[i:i + 2] = [word[i] + word[i + 1]]
        ids = [self.vocab[w] for w in word]
        self._cache[piece] = ids
        return ids

    def decode(self, ids):
        out, buffer = [], bytearray()
        for i in ids:
            text = self.id_to_text[i]
            if i in self.added.values():
                out.append(buffer.decode("utf-8", errors="replace"))
                buffer = bytearray()
                out.append(text)
            else:
                buffer.extend(self.from_char[c] for c in text)
        out.append(buffer.decode("utf-8", errors="replace"))
        return "".join(out)
