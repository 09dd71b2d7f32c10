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

Blocks handed over by the engine may hold uninitialised memory (NaN included), so positions that
do not belong to a request are removed with Where (keys, values and scores), never by adding a
large negative number to a score computed from such memory.
"""
import math

from onnx import helper

from . import layers
from .graph import FLOAT, INT32, INT64, Graph
from .paged_batch import PagedBatch


def _rotate(g, x, cos, sin, half, hint):
    """Rotary embedding, rotate-half form (as GroupQueryAttention with rotary_interleaved=0)."""
    x1 = g.op("Slice", [x, g.i64([0]), g.i64([half]), g.i64([-1])], hint + "/x1")
    x2 = g.op("Slice", [x, g.i64([half]), g.i64([2 * half]), g.i64([-1])], hint + "/x2")
    first = g.op("Sub", [g.op("Mul", [x1, cos], hint + "/x1c"), g.op("Mul", [x2, sin], hint + "/x2s")], hint + "/a")
    second = g.op("Add", [g.op("Mul", [x2, cos], hint + "/x2c"), g.op("Mul", [x1, sin], hint + "/x1s")], hint + "/b")
    return g.op("Concat", [first, second], hint, axis=-1)


def _attention(g, spec, batch, q, k, v, past_k, past_v, cos, sin, layer, hint):
    heads, kv_heads, hs = spec.num_heads, spec.num_kv_heads, spec.head_size
    q = _rotate(g, g.op("Reshape", [q, g.i64([-1, heads, hs])], hint + "/q3"), cos, sin, hs // 2, hint + "/q_rot")
    k = _rotate(g, g.op("Reshape", [k, g.i64([-1, kv_heads, hs])], hint + "/k3"), cos, sin, hs // 2, hint + "/k_rot")
    v = g.op("Reshape", [v, g.i64([-1, kv_heads, hs])], hint + "/v3")

    present_k = g.op("ScatterND", [past_k, batch.cache_index, k], hint + "/write_k", outputs=[f"present.{layer}.key"])
    present_v = g.op("ScatterND", [past_v, batch.cache_index, v], hint + "/write_v",
                     outputs=[f"present.{layer}.value"])

    # Each request's blocks laid end to end: [B, L, kv_heads, hs], foreign slots zeroed.
    def request_view(cache, name):
        blocks = g.op("Gather", [cache, batch.safe_table], f"{hint}/{name}_blocks", axis=0)
        flat = g.op("Reshape", [blocks, g.i64([0, -1, kv_heads, hs])], f"{hint}/{name}_flat")
        return g.op("Where", [batch.kv_valid, flat, g.f32(0.0)], f"{hint}/{name}_valid")

    keys = g.op("Transpose", [request_view(present_k, "k")], hint + "/k_t", perm=[0, 2, 3, 1])  # [B, KV, hs, L]
    values = g.op("Transpose", [request_view(present_v, "v")], hint + "/v_t", perm=[0, 2, 1, 3])  # [B, KV, L, hs]

    # Queries in a zero-padded [B, max_query, H, hs] grid, then grouped by the KV head they share
    # (head h reads KV head h // group) so keys and values need not be repeated per head:
    # [B, KV, group * max_query, hs].
    group = heads // kv_heads
    grid_shape = g.op("Concat", [batch.num_requests, batch.max_query, g.i64([heads, hs])], hint + "/grid_shape",
                      axis=0)
    grid = g.op("ConstantOfShape", [grid_shape], hint + "/grid_zero",
                value=helper.make_tensor("zero", FLOAT, [1], [0.0]))
    # 1/sqrt(head_size) is a power of two here, so scaling the queries first changes no bits.
    scaled = g.op("Mul", [q, g.f32(1.0 / math.sqrt(hs))], hint + "/q_scaled")
    grid = g.op("ScatterND", [grid, batch.grid_index, scaled], hint + "/q_grid")
    grid = g.op("Reshape", [grid, g.i64([0, 0, kv_heads, group, hs])], hint + "/q_split")
    grid = g.op("Transpose", [grid], hint + "/q_t", perm=[0, 2, 3, 1, 4])  # [B, KV, group, Q, hs]
    queries = g.op("Reshape", [grid, g.i64([0, 0, -1, hs])], hint + "/q_grouped")

    scores = g.op("MatMul", [queries, keys], hint + "/qk")  # [B, KV, group * Q, L]
    scores = g.op("Where", [batch.causal_grouped, scores, g.f32(float("-inf"))], hint + "/masked")
    probs = g.op("Softmax", [scores], hint + "/softmax", axis=-1)
    context = g.op("MatMul", [probs, values], hint + "/pv")  # [B, KV, group * Q, hs]
    context = g.op("Reshape", [context, g.i64([0, 0, group, -1, hs])], hint + "/ctx_split")
    context = g.op("Transpose", [context], hint + "/ctx_t", perm=[0, 3, 1, 2, 4])  # [B, Q, KV, group, hs]
    context = g.op("Reshape", [context, g.i64([0, 0, heads, hs])], hint + "/ctx_heads")
    per_token = g.op("GatherND", [context, batch.grid_index], hint + "/ctx_tokens")  # [N, H, hs]
    return g.op("Reshape", [per_token, g.i64([-1, heads * hs])], hint + "/ctx")


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
    batch = PagedBatch(g, spec, block_size, input_ids, cum, past_len, table)
    cos_table, sin_table = layers.rotary_tables(g, spec)
    cos = g.op("Unsqueeze", [g.op("Gather", [cos_table, batch.position], "rope/cos_tok", axis=0), g.i64([1])],
               "rope/cos_tok3")
    sin = g.op("Unsqueeze", [g.op("Gather", [sin_table, batch.position], "rope/sin_tok", axis=0), g.i64([1])],
               "rope/sin_tok3")

    hidden = g.op("Gather", [w["embed"], input_ids], "embed", axis=0)  # [N, hidden]
    for i in range(spec.num_layers):
        p, hint = f"layers.{i}.", f"layers.{i}"
        normed = layers.rms_norm(g, hidden, w[p + "input_norm"], spec.rms_eps, hint + "/input_norm")
        q = layers.linear(g, normed, w[p + "q_w"], w[p + "q_b"], hint + "/q_proj")
        k = layers.linear(g, normed, w[p + "k_w"], w[p + "k_b"], hint + "/k_proj")
        v = layers.linear(g, normed, w[p + "v_w"], w[p + "v_b"], hint + "/v_proj")
        attn = _attention(g, spec, batch, q, k, v, past[i][0], past[i][1], cos, sin, i, hint + "/attn")
        hidden = layers.residual_block_tail(g, hidden, attn, w, p, spec, hint)

    last = g.op("Gather", [hidden, batch.last_token], "last_token", axis=0)  # [B, hidden]
    normed = layers.rms_norm(g, last, w["final_norm"], spec.rms_eps, "final_norm")
    layers.lm_head(g, normed, w)
    return g.model([("", 17)])
