"""Paged layout: the input/output contract of GenAI's dynamic-batching engine, with attention in
standard ONNX ops (ONNX Runtime's CPU provider has no PagedAttention kernel).

Inputs:  input_ids [num_tokens]: every scheduled request's new tokens, concatenated
         cumulative_sequence_lengths [batch_size + 1]: request boundaries within input_ids
         past_sequence_lengths [batch_size]: tokens already in each request's cache
         block_table [batch_size, max_num_blocks]: physical block ids, padded with -1
         attention_metadata [3]: size hints for fused kernels, not needed by this graph
         past_key_values.N.key/value [num_blocks, block_size, kv_heads, head_size]
Outputs: logits [batch_size, vocab]: one row per request, for its last scheduled token
         present.N.key/value: the same cache with this step's keys and values written in

Attention runs per token over its own request's blocks, gathered whole from the cache (a few rows
of block_size slots each, not one row per position). Blocks handed over by the engine may hold
uninitialised memory (NaN included), so no slot that was not written is ever read: in the step
that opens a block, a request's last token also fills the rest of the block with copies of its
key and value, and columns after a token's own block read that block again instead of padding or
unwritten blocks. Positions a token may not see are then removed from the scores with Where, never
by adding a large negative number.
PagedGraphTests checks it from caches full of NaN, infinities and huge values, and against whole
prefills of each request alone.
Gathering per token holds num_tokens x L keys and values per layer: small for the test model's
prompts, but a long prefill chunk over a long context makes it large (a real PagedAttention kernel
reads the blocks in place).
"""
import math

import numpy as np

from . import layers
from .graph import FLOAT, INT32, INT64, Graph
from .paged_batch import PagedBatch


def _rotation(spec):
    """[head_size, head_size] matrix R with x @ R == concat(-x2, x1) (rotate-half form, as
    GroupQueryAttention with rotary_interleaved=0). Every column holds a single +1 or -1, so the
    product is exact and x * cos + (x @ R) * sin gives the same bits as the sliced form."""
    half = spec.head_size // 2
    r = np.zeros((spec.head_size, spec.head_size), dtype=np.float32)
    for j in range(half):
        r[half + j, j] = -1.0
        r[j, half + j] = 1.0
    return r


def _attention(g, spec, batch, qkv, past_k, past_v, rope, layer, hint):
    heads, kv_heads, hs = spec.num_heads, spec.num_kv_heads, spec.head_size
    cos, sin, rotation = rope

    # q, k and v come from one projection ([N, heads + 2 * kv_heads, head_size]); rotary turns q
    # and k together.
    qkv = g.op("Reshape", [qkv, g.i64([-1, heads + 2 * kv_heads, hs])], hint + "/qkv3")
    qk, v = g.op("Split", [qkv, g.i64([heads + kv_heads, kv_heads])], hint + "/split_v", n_out=2, axis=1)
    turned = g.op("MatMul", [qk, rotation], f"{hint}/qk_turned")
    qk = g.op("Add", [g.op("Mul", [qk, cos], f"{hint}/qk_cos"), g.op("Mul", [turned, sin], f"{hint}/qk_sin")],
              f"{hint}/qk_rot")
    q, k = g.op("Split", [qk, g.i64([heads, kv_heads])], hint + "/split_qk", n_out=2, axis=1)

    # One ScatterND per cache, straight into the present output. The engine passes the same
    # buffer as past and present, so the cache is not copied (a step costs the same with 128 or
    # 1024 blocks).
    def write(cache, x, name, output):
        updates = g.op("Gather", [x, batch.write_source], f"{hint}/{name}_updates", axis=0)
        return g.op("ScatterND", [cache, batch.write_index, updates], f"{hint}/write_{name}", outputs=[output])

    present_k = write(past_k, k, "k", f"present.{layer}.key")
    present_v = write(past_v, v, "v", f"present.{layer}.value")

    # Each token's request's blocks, laid end to end: [N, L, kv_heads * head_size]. Gathering
    # whole blocks copies a few rows of block_size slots instead of one row per position.
    def token_view(cache, name):
        blocks = g.op("Gather", [cache, batch.kv_blocks], f"{hint}/{name}_blocks", axis=0)
        return g.op("Reshape", [blocks, g.i64([0, -1, kv_heads * hs])], f"{hint}/{name}_view")

    keys, values = token_view(present_k, "k"), token_view(present_v, "v")

    # Query head h reads KV head h // group. Each query is spread over all KV heads' columns with
    # the others zeroed ([N, heads, kv_heads * head_size]), so one MatMul against the gathered
    # keys scores every head without repeating them (ONNX Runtime folds the transpose into that
    # MatMul); adding zeros changes no bits.
    # 1/sqrt(head_size) is a power of two for the committed model (head size 16), so scaling the
    # queries first changes no bits; a wider sibling with another head size may differ in the last bit.
    group = heads // kv_heads
    own = np.zeros((1, heads, kv_heads, 1), dtype=np.float32)
    own[0, np.arange(heads), np.arange(heads) // group, 0] = 1.0 / math.sqrt(hs)
    queries = g.op("Reshape", [g.op("Mul", [g.op("Unsqueeze", [q, g.i64([2])], hint + "/q4"), g.f32(own)],
                                    hint + "/q_spread"), g.i64([0, heads, kv_heads * hs])], hint + "/q_rows")
    scores = g.op("MatMul", [queries, g.op("Transpose", [keys], hint + "/k_t", perm=[0, 2, 1])], hint + "/qk")  # [N, heads, L]
    scores = g.op("Where", [batch.visible_scores, scores, g.f32(float("-inf"))], hint + "/masked")
    probs = g.op("Softmax", [scores], hint + "/softmax", axis=-1)
    # Each head's context against every KV head's values, [N, heads * kv_heads, head_size]; keep
    # each head's own KV head: [N, heads, head_size].
    spread = g.op("Reshape", [g.op("MatMul", [probs, values], hint + "/pv"), g.i64([0, heads * kv_heads, hs])],
                  hint + "/pv_rows")
    context = g.op("Gather", [spread, g.i64(np.arange(heads) * kv_heads + np.arange(heads) // group)],
                   hint + "/pv_own", axis=1)
    return g.op("Reshape", [context, g.i64([-1, heads * hs])], hint + "/ctx")


def build(spec, weights, block_size):
    g = Graph("test_model_paged")
    input_ids = g.input("input_ids", INT64, ["num_tokens"])
    cum = g.input("cumulative_sequence_lengths", INT32, ["batch_size + 1"])
    past_len = g.input("past_sequence_lengths", INT32, ["batch_size"])
    table = g.input("block_table", INT32, ["batch_size", "max_num_blocks"])
    g.input("attention_metadata", INT32, [3])
    cache_shape = ["num_blocks", block_size, spec.num_kv_heads, spec.head_size]
    past = [(g.input(f"past_key_values.{i}.key", FLOAT, cache_shape),
             g.input(f"past_key_values.{i}.value", FLOAT, cache_shape)) for i in range(spec.num_layers)]
    # The first logits dimension is named batch_size: the engine then expects one row per request.
    g.output("logits", FLOAT, ["batch_size", spec.vocab_size])
    for i in range(spec.num_layers):
        g.output(f"present.{i}.key", FLOAT, cache_shape)
        g.output(f"present.{i}.value", FLOAT, cache_shape)

    # One q/k/v projection per layer: the same columns as the standard layout's three MatMuls.
    weights = dict(weights)
    for i in range(spec.num_layers):
        p = f"layers.{i}."
        weights[p + "qkv_w"] = np.concatenate([weights.pop(p + n + "_w") for n in "qkv"], axis=1)
        weights[p + "qkv_b"] = np.concatenate([weights.pop(p + n + "_b") for n in "qkv"])
    w = layers.add_weights(g, weights)
    batch = PagedBatch(g, block_size, cum, past_len, table)
    # Full-width tables ([context, head_size], each half repeated) so one Mul covers both halves.
    cos_table, sin_table = (g.op("Concat", [t, t], f"rope/{n}_full", axis=-1)
                            for t, n in zip(layers.rotary_tables(g, spec), ("cos", "sin")))
    # Gathered by the [N, 1] position column: [N, 1, head_size], broadcast over heads.
    rope = (g.op("Gather", [cos_table, batch.position], "rope/cos_tok", axis=0),
            g.op("Gather", [sin_table, batch.position], "rope/sin_tok", axis=0),
            g.weight("rope.rotation", _rotation(spec)))

    hidden = g.op("Gather", [w["embed"], input_ids], "embed", axis=0)  # [N, hidden]
    for i in range(spec.num_layers):
        p, hint = f"layers.{i}.", f"layers.{i}"
        normed = layers.rms_norm(g, hidden, w[p + "input_norm"], spec.rms_eps, hint + "/input_norm")
        qkv = layers.linear(g, normed, w[p + "qkv_w"], w[p + "qkv_b"], hint + "/qkv_proj")
        attn = _attention(g, spec, batch, qkv, past[i][0], past[i][1], rope, i, hint + "/attn")
        hidden = layers.residual_block_tail(g, hidden, attn, w, p, spec, hint)

    last = g.op("Gather", [hidden, batch.last_token], "last_token", axis=0)  # [B, hidden]
    normed = layers.rms_norm(g, last, w["final_norm"], spec.rms_eps, "final_norm")
    layers.lm_head(g, normed, w)
    return g.model([("", 17)])
