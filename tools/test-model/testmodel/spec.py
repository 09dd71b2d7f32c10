"""Dimensions of the miniature Qwen2-style model, and the random weights of benchmark-sized ones."""
from dataclasses import dataclass

import numpy as np

SEED = 20250129


@dataclass(frozen=True)
class Spec:
    vocab_size: int = 512
    hidden_size: int = 64
    num_heads: int = 4
    num_kv_heads: int = 2
    head_size: int = 16
    intermediate_size: int = 128
    num_layers: int = 2
    rope_theta: float = 10000.0
    rms_eps: float = 1e-6
    context_length: int = 2048

    @property
    def kv_size(self):
        return self.num_kv_heads * self.head_size


# The committed, trained model: 6 query heads of 16 share 2 KV heads (1/sqrt(16) is a power of two,
# so both layouts scale queries without rounding differences). Sized to train on two CPU cores.
TRAINED = Spec(hidden_size=96, num_heads=6, num_kv_heads=2, head_size=16, intermediate_size=256, num_layers=4)


def make_weights(spec):
    """Random weights at a scale that keeps greedy output varied (not one token forever)."""
    rng = np.random.RandomState(SEED)

    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def norm_weight():
        return (1.0 + rng.standard_normal(spec.hidden_size) * 0.1).astype(np.float32)

    h, kv, inter = spec.hidden_size, spec.kv_size, spec.intermediate_size
    weights = {"embed": normal((spec.vocab_size, h), 1.0)}
    for i in range(spec.num_layers):
        p = f"layers.{i}."
        weights[p + "input_norm"] = norm_weight()
        # MatMul weights are stored [in, out] so that the graph needs no Transpose.
        weights[p + "q_w"] = normal((h, h), h ** -0.5)
        weights[p + "q_b"] = normal((h,), 0.1)
        weights[p + "k_w"] = normal((h, kv), h ** -0.5)
        weights[p + "k_b"] = normal((kv,), 0.1)
        weights[p + "v_w"] = normal((h, kv), h ** -0.5)
        weights[p + "v_b"] = normal((kv,), 0.1)
        weights[p + "o_w"] = normal((h, h), h ** -0.5)
        weights[p + "post_norm"] = norm_weight()
        weights[p + "gate_w"] = normal((h, inter), h ** -0.5)
        weights[p + "up_w"] = normal((h, inter), h ** -0.5)
        weights[p + "down_w"] = normal((inter, h), inter ** -0.5)
    weights["final_norm"] = norm_weight()
    weights["lm_head"] = normal((h, spec.vocab_size), 0.4)
    return weights


def shapes(spec):
    """Name and shape of every learnt weight, as the graph builders read them."""
    return {name: value.shape for name, value in make_weights(spec).items()}
