"""Standard layout: GroupQueryAttention with past/present KV, as GenAI's model builder emits for CPU.

Inputs:  input_ids [batch, seq], attention_mask [batch, total_seq],
         past_key_values.N.key/value [batch, kv_heads, past_seq, head_size]
Outputs: logits [batch, seq, vocab], present.N.key/value [batch, kv_heads, total_seq, head_size]
"""
from . import layers
from .graph import FLOAT, INT32, INT64, Graph


def build(spec, weights):
    g = Graph("test_model_standard")
    input_ids = g.input("input_ids", INT64, ["batch_size", "sequence_length"])
    mask = g.input("attention_mask", INT64, ["batch_size", "total_sequence_length"])
    kv_shape_in = ["batch_size", spec.num_kv_heads, "past_sequence_length", spec.head_size]
    kv_shape_out = ["batch_size", spec.num_kv_heads, "total_sequence_length", spec.head_size]
    past = [(g.input(f"past_key_values.{i}.key", FLOAT, kv_shape_in),
             g.input(f"past_key_values.{i}.value", FLOAT, kv_shape_in)) for i in range(spec.num_layers)]
    g.output("logits", FLOAT, ["batch_size", "sequence_length", spec.vocab_size])
    for i in range(spec.num_layers):
        g.output(f"present.{i}.key", FLOAT, kv_shape_out)
        g.output(f"present.{i}.value", FLOAT, kv_shape_out)

    w = layers.add_weights(g, weights)

    # GroupQueryAttention takes per-row (valid length - 1) and the total length, both derived from
    # the 2D attention mask exactly as the model builder does.
    mask_sum = g.op("ReduceSum", [mask, g.i64([1])], "mask/sum", keepdims=0)
    seqlens_k = g.op("Cast", [g.op("Sub", [mask_sum, g.i64(1)], "mask/minus1")], "mask/seqlens_k", to=INT32)
    total = g.op("Gather", [g.op("Shape", [mask], "mask/shape"), g.i64(1)], "mask/total", axis=0)
    total_seq_len = g.op("Cast", [total], "mask/total_seq_len", to=INT32)
    cos, sin = layers.rotary_tables(g, spec)

    hidden = g.op("Gather", [w["embed"], input_ids], "embed", axis=0)
    for i in range(spec.num_layers):
        p, hint = f"layers.{i}.", f"layers.{i}"
        normed = layers.rms_norm(g, hidden, w[p + "input_norm"], spec.rms_eps, hint + "/input_norm")
        q = layers.linear(g, normed, w[p + "q_w"], w[p + "q_b"], hint + "/q_proj")
        k = layers.linear(g, normed, w[p + "k_w"], w[p + "k_b"], hint + "/k_proj")
        v = layers.linear(g, normed, w[p + "v_w"], w[p + "v_b"], hint + "/v_proj")
        attn = g.op(
            "GroupQueryAttention",
            [q, k, v, past[i][0], past[i][1], seqlens_k, total_seq_len, cos, sin],
            hint + "/attn",
            outputs=[f"/{hint}/attn/output", f"present.{i}.key", f"present.{i}.value"],
            domain="com.microsoft",
            num_heads=spec.num_heads,
            kv_num_heads=spec.num_kv_heads,
            scale=spec.head_size ** -0.5,
            do_rotary=1,
            rotary_interleaved=0,
        )[0]
        hidden = layers.residual_block_tail(g, hidden, attn, w, p, spec, hint)

    normed = layers.rms_norm(g, hidden, w["final_norm"], spec.rms_eps, "final_norm")
    layers.lm_head(g, normed, w)
    return g.model([("", 17), ("com.microsoft", 1)])
