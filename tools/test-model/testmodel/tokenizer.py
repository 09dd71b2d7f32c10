"""A small byte-level BPE tokenizer in Hugging Face tokenizer.json form.

The 256 byte tokens (GPT-2 byte-to-unicode form) cover any UTF-8 text, so every string
round-trips; merges learnt from CORPUS and a sample of the curriculum make English text and the
curriculum's words shorter. Digits are never merged (the split isolates each one), so numbers
are read and written one digit per token. Special tokens are spelled
exactly as in DeepSeek-R1's tokenizer.
"""
import re
from collections import Counter

import numpy as np

from . import curriculum
from .chat_template import CHAT_TEMPLATE
from .corpus import CORPUS

NUM_MERGES = 240

BOS = "<｜begin▁of▁sentence｜>"
EOS = "<｜end▁of▁sentence｜>"
PAD = "<｜▁pad▁｜>"
# (content, special) in id order after the learnt vocabulary. As in DeepSeek-R1, the turn and
# reasoning markers are added tokens that are not "special", so decoding keeps them visible.
ADDED_TOKENS = [
    (EOS, True), (BOS, True), ("<｜User｜>", False), ("<｜Assistant｜>", False),
    ("<think>", False), ("</think>", False), (PAD, True),
    ("<｜tool▁calls▁begin｜>", False), ("<｜tool▁calls▁end｜>", False),
    ("<｜tool▁call▁begin｜>", False), ("<｜tool▁call▁end｜>", False),
    ("<｜tool▁outputs▁begin｜>", False), ("<｜tool▁outputs▁end｜>", False),
    ("<｜tool▁output▁begin｜>", False), ("<｜tool▁output▁end｜>", False),
    ("<｜tool▁sep｜>", False),
]

# Qwen2's pre-tokenizer pattern, which onnxruntime-extensions recognises.
SPLIT_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
               r"|\s*[\r\n]+|\s+(?!\S)|\s+")
# The same split for ASCII training text, in Python's re dialect (no \p classes).
_TRAIN_SPLIT = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\r\n\w]?[A-Za-z]+|[0-9]| ?[^\sA-Za-z0-9]+[\r\n]*"
                          r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def byte_to_unicode():
    """GPT-2's reversible map from bytes to printable characters."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) \
        + list(range(ord("®"), ord("ÿ") + 1))
    mapping, extra = {}, 0
    for b in range(256):
        if b in printable:
            mapping[b] = chr(b)
        else:
            mapping[b] = chr(256 + extra)
            extra += 1
    return mapping


def learn_merges(text, count):
    to_char = byte_to_unicode()
    words = Counter(tuple(to_char[b] for b in piece.encode("utf-8")) for piece in _TRAIN_SPLIT.findall(text))
    merges = []
    for _ in range(count):
        pairs = Counter()
        for word, freq in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += freq
        if not pairs:
            break
        # Highest count wins; ties go to the lexicographically smallest pair, for determinism.
        best = min(pairs.items(), key=lambda item: (-item[1], item[0]))[0]
        merges.append(best)
        merged = best[0] + best[1]
        new_words = Counter()
        for word, freq in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(merged)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            new_words[tuple(out)] += freq
        words = new_words
    return merges


def build():
    """Returns (tokenizer_json, tokenizer_config_json, ids) as Python objects."""
    to_char = byte_to_unicode()
    vocab = {to_char[b]: b for b in range(256)}
    merges = learn_merges(CORPUS + curriculum.merge_text(), NUM_MERGES)
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    ids = {}
    added = []
    for content, special in ADDED_TOKENS:
        ids[content] = len(vocab) + len(added)
        added.append({"id": ids[content], "content": content, "single_word": False, "lstrip": False,
                      "rstrip": False, "normalized": False, "special": special})
    vocab_size = len(vocab) + len(added)

    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": SPLIT_REGEX}, "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
        ]},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": BOS, "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": BOS, "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
            "special_tokens": {BOS: {"id": BOS, "ids": [ids[BOS]], "tokens": [BOS]}},
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{a} {b}" for a, b in merges]},
    }

    def added_token(content):
        return {"__type": "AddedToken", "content": content, "lstrip": False, "normalized": True,
                "rstrip": False, "single_word": False}

    config = {
        "add_bos_token": True,
        "add_eos_token": False,
        "added_tokens_decoder": {
            str(t["id"]): {k: t[k] for k in ("content", "lstrip", "normalized", "rstrip", "single_word", "special")}
            for t in added
        },
        "bos_token": added_token(BOS),
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "eos_token": added_token(EOS),
        "legacy": True,
        "model_max_length": 16384,
        "pad_token": added_token(EOS),
        "sp_model_kwargs": {},
        "unk_token": None,
        "tokenizer_class": "LlamaTokenizerFast",
        "use_default_system_prompt": False,
    }
    return tokenizer, config, ids, vocab_size


def logits_bias(ids, vocab_size):
    """A fixed logits bias that keeps sampled text readable valid UTF-8.

    A random model would otherwise often emit lone bytes of multi-byte characters or control
    characters, and markers that only the chat template should produce. Those get -8; printable
    ASCII, newline, learnt merges, EOS and the reasoning markers stay at 0.
    """
    bias = np.zeros(vocab_size, dtype=np.float32)
    for b in range(256):
        if not (0x20 <= b <= 0x7E or b == 0x0A):
            bias[b] = -8.0
    keep = {EOS, "<think>", "</think>"}
    for content, _ in ADDED_TOKENS:
        if content not in keep:
            bias[ids[content]] = -8.0
    return bias
