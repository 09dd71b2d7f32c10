"""Graph pieces shared by the standard and the paged layout.

Both layouts build norms, projections, MLP and rotary tables with these same functions, so the
only numerical difference between them is the attention kernel itself (the paged layout projects
q, k and v with one MatMul over the same columns).
"""
import numpy as np

from .graph import FLOAT


def add_weights(g, weights):
    return {name: g.weight(f"model.{name}", value) for name, value in weights.items()}


def rms_norm(g, x, weight, eps, hint):
    # Qwen2RMSNorm: x / sqrt(mean(x^2) + eps) * weight, written in plain ops (opset 17 has no
    # RMSNormalization) so that both layouts compute it identically.
    squared = g.op("Mul", [x, x], hint + "/sq")
    mean = g.op("ReduceMean", [squared], hint + "/mean", axes=[-1], keepdims=1)
    denom = g.op("Sqrt", [g.op("Add", [mean, g.f32(eps)], hint + "/eps")], hint + "/sqrt")
    return g.op("Mul", [g.op("Div", [x, denom], hint + "/div"), weight], hint)


def linear(g, x, w, b, hint):
    y = g.op("MatMul", [x, w], hint + "/matmul")
    return g.op("Add", [y, b], hint + "/bias") if b is not None else y


def mlp(g, x, w, prefix, hint):
    gate = g.op("MatMul", [x, w[prefix + "gate_w"]], hint + "/gate")
    silu = g.op("Mul", [gate, g.op("Sigmoid", [gate], hint + "/sigmoid")], hint + "/silu")
    up = g.op("MatMul", [x, w[prefix + "up_w"]], hint + "/up")
    return g.op("MatMul", [g.op("Mul", [silu, up], hint + "/act"), w[prefix + "down_w"]], hint + "/down")


def rotary_tables(g, spec):
    """cos/sin tables [context_length, head_size / 2] computed in the graph from rope_theta.

    Computing them in the graph keeps the committed files small; ONNX Runtime folds them into
    constants when the session is created.
    """
    half = spec.head_size // 2
    inv_freq = (1.0 / (spec.rope_theta ** (np.arange(0, spec.head_size, 2, dtype=np.float64) / spec.head_size)))
    positions = g.op("Cast", [g.op("Range", [g.i64(0), g.i64(spec.context_length), g.i64(1)], "rope/range")],
                     "rope/positions", to=FLOAT)
    column = g.op("Unsqueeze", [positions, g.i64([1])], "rope/column")
    freqs = g.op("Mul", [column, g.f32(inv_freq.astype(np.float32).reshape(1, half))], "rope/freqs")
    return g.op("Cos", [freqs], "rope/cos"), g.op("Sin", [freqs], "rope/sin")


def residual_block_tail(g, hidden, attn_out, w, prefix, spec, hint):
    """o_proj, residual, post-attention norm, MLP, residual."""
    hidden = g.op("Add", [hidden, g.op("MatMul", [attn_out, w[prefix + "o_w"]], hint + "/o_proj")],
                  hint + "/residual1")
    normed = rms_norm(g, hidden, w[prefix + "post_norm"], spec.rms_eps, hint + "/post_norm")
    return g.op("Add", [hidden, mlp(g, normed, w, prefix, hint + "/mlp")], hint + "/residual2")


def lm_head(g, normed, w):
    # The logits bias keeps output text readable (see tokenizer.logits_bias).
    projected = g.op("MatMul", [normed, w["lm_head"]], "lm_head/matmul")
    return g.op("Add", [projected, w["logits_bias"]], "lm_head", outputs=["logits"])
