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

Attention runs per token over its own request's positions, gathered slot by slot from the cache.
Blocks handed over by the engine may hold uninitialised memory (NaN included): reads of positions
a token may not see go to the token's own slot instead (written this step, so finite), and their
scores are then removed with Where, never by adding a large negative number to a score computed
from such memory. A zero probability times a NaN would still be NaN; no NaN is ever read.
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


def _attention(g, spec, batch, q, k, v, past_k, past_v, rope, layer, hint):
    heads, kv_heads, hs = spec.num_heads, spec.num_kv_heads, spec.head_size
    cos, sin, rotation = rope

    def rotate(x, count, name):
        x = g.op("Reshape", [x, g.i64([-1, count, hs])], f"{hint}/{name}3")
        turned = g.op("MatMul", [x, rotation], f"{hint}/{name}_turned")
        return g.op("Add", [g.op("Mul", [x, cos], f"{hint}/{name}_cos"), g.op("Mul", [turned, sin], f"{hint}/{name}_sin")],
                    f"{hint}/{name}_rot")

    q = rotate(q, heads, "q")
    k = rotate(k, kv_heads, "k")
    v = g.op("Reshape", [v, g.i64([-1, kv_heads, hs])], hint + "/v3")

    present_k = g.op("ScatterND", [past_k, batch.cache_index, k], hint + "/write_k", outputs=[f"present.{layer}.key"])
    present_v = g.op("ScatterND", [past_v, batch.cache_index, v], hint + "/write_v",
                     outputs=[f"present.{layer}.value"])

    # Each token's request's positions, per KV head: [N, KV, L, hs] (see PagedBatch.kv_rows).
    def token_view(cache, name):
        rows = g.op("Reshape", [cache, g.i64([-1, hs])], f"{hint}/{name}_rows")
        return g.op("Gather", [rows, batch.kv_rows], f"{hint}/{name}_view", axis=0)

    # ONNX Runtime folds this last-two-axes transpose into the MatMul that reads it.
    keys = g.op("Transpose", [token_view(present_k, "k")], hint + "/k_t", perm=[0, 1, 3, 2])  # [N, KV, hs, L]
    values = token_view(present_v, "v")  # [N, KV, L, hs]

    # Query head h reads KV head h // group: [N, KV, group, hs], so keys and values are not repeated.
    # 1/sqrt(head_size) is a power of two for the committed model (head size 16), so scaling the
    # queries first changes no bits; a wider sibling with another head size may differ in the last bit.
    group = heads // kv_heads
    queries = g.op("Mul", [g.op("Reshape", [q, g.i64([0, kv_heads, group, hs])], hint + "/q_grouped"),
                           g.f32(1.0 / math.sqrt(hs))], hint + "/q_scaled")
    scores = g.op("MatMul", [queries, keys], hint + "/qk")  # [N, KV, group, L]
    scores = g.op("Where", [batch.visible_scores, scores, g.f32(float("-inf"))], hint + "/masked")
    probs = g.op("Softmax", [scores], hint + "/softmax", axis=-1)
    context = g.op("MatMul", [probs, values], hint + "/pv")  # [N, KV, group, hs]
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

    w = layers.add_weights(g, weights)
    batch = PagedBatch(g, block_size, spec.num_kv_heads, input_ids, cum, past_len, table)
    # Full-width tables ([context, head_size], each half repeated) so one Mul covers both halves.
    cos_table, sin_table = (g.op("Concat", [t, t], f"rope/{n}_full", axis=-1)
                            for t, n in zip(layers.rotary_tables(g, spec), ("cos", "sin")))
    rope = (g.op("Unsqueeze", [g.op("Gather", [cos_table, batch.position], "rope/cos_tok", axis=0), g.i64([1])],
                 "rope/cos_tok3"),
            g.op("Unsqueeze", [g.op("Gather", [sin_table, batch.position], "rope/sin_tok", axis=0), g.i64([1])],
                 "rope/sin_tok3"),
            g.weight("rope.rotation", _rotation(spec)))

    hidden = g.op("Gather", [w["embed"], input_ids], "embed", axis=0)  # [N, hidden]
    for i in range(spec.num_layers):
        p, hint = f"layers.{i}.", f"layers.{i}"
        normed = layers.rms_norm(g, hidden, w[p + "input_norm"], spec.rms_eps, hint + "/input_norm")
        q = layers.linear(g, normed, w[p + "q_w"], w[p + "q_b"], hint + "/q_proj")
        k = layers.linear(g, normed, w[p + "k_w"], w[p + "k_b"], hint + "/k_proj")
        v = layers.linear(g, normed, w[p + "v_w"], w[p + "v_b"], hint + "/v_proj")
        attn = _attention(g, spec, batch, q, k, v, past[i][0], past[i][1], rope, i, hint + "/attn")
        hidden = layers.residual_block_tail(g, hidden, attn, w, p, spec, hint)

    last = g.op("Gather", [hidden, batch.last_token], "last_token", axis=0)  # [B, hidden]
    normed = layers.rms_norm(g, last, w["final_norm"], spec.rms_eps, "final_norm")
    layers.lm_head(g, normed, w)
    return g.model([("", 17)])
