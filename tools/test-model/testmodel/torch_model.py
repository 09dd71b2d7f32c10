"""The Qwen2-shaped model in PyTorch, computing exactly what the ONNX graphs compute.

Parameters are named and laid out as the graph builders expect (MatMul weights [in, out]), so a
trained state converts to the builders' weights dict without reshaping. Used for training and
for the evaluation that runs without ONNX Runtime.
"""
import numpy as np
import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, spec):
        super().__init__()
        h, kv = spec.hidden_size, spec.kv_size
        self.spec = spec
        self.q_w, self.q_b = nn.Parameter(torch.empty(h, h)), nn.Parameter(torch.zeros(h))
        self.k_w, self.k_b = nn.Parameter(torch.empty(h, kv)), nn.Parameter(torch.zeros(kv))
        self.v_w, self.v_b = nn.Parameter(torch.empty(h, kv)), nn.Parameter(torch.zeros(kv))
        self.o_w = nn.Parameter(torch.empty(h, h))

    def forward(self, x, cos, sin, past):
        s = self.spec
        b, t, _ = x.shape
        q = (x @ self.q_w + self.q_b).view(b, t, s.num_heads, s.head_size).transpose(1, 2)
        k = (x @ self.k_w + self.k_b).view(b, t, s.num_kv_heads, s.head_size).transpose(1, 2)
        v = (x @ self.v_w + self.v_b).view(b, t, s.num_kv_heads, s.head_size).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        group = s.num_heads // s.num_kv_heads
        kk, vv = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        scores = (q * s.head_size ** -0.5) @ kk.transpose(2, 3)
        total = kk.shape[2]
        causal = torch.ones(t, total, dtype=torch.bool).tril(total - t)
        scores = scores.masked_fill(~causal, float("-inf"))
        out = (scores.softmax(-1) @ vv).transpose(1, 2).reshape(b, t, s.hidden_size)
        return out @ self.o_w, (k, v)


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    turned = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + turned * sin


def rms_norm(x, weight, eps):
    return x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps) * weight


class Layer(nn.Module):
    def __init__(self, spec):
        super().__init__()
        h, inter = spec.hidden_size, spec.intermediate_size
        self.eps = spec.rms_eps
        self.input_norm = nn.Parameter(torch.ones(h))
        self.post_norm = nn.Parameter(torch.ones(h))
        self.attn = Attention(spec)
        self.gate_w, self.up_w = nn.Parameter(torch.empty(h, inter)), nn.Parameter(torch.empty(h, inter))
        self.down_w = nn.Parameter(torch.empty(inter, h))

    def forward(self, x, cos, sin, past):
        a, present = self.attn(rms_norm(x, self.input_norm, self.eps), cos, sin, past)
        x = x + a
        n = rms_norm(x, self.post_norm, self.eps)
        gate = n @ self.gate_w
        return x + ((gate * torch.sigmoid(gate)) * (n @ self.up_w)) @ self.down_w, present


class Model(nn.Module):
    def __init__(self, spec, logits_bias):
        super().__init__()
        self.spec = spec
        self.embed = nn.Parameter(torch.empty(spec.vocab_size, spec.hidden_size))
        self.layers = nn.ModuleList(Layer(spec) for _ in range(spec.num_layers))
        self.final_norm = nn.Parameter(torch.ones(spec.hidden_size))
        self.lm_head = nn.Parameter(torch.empty(spec.hidden_size, spec.vocab_size))
        self.register_buffer("logits_bias", torch.from_numpy(np.asarray(logits_bias, dtype=np.float32)))
        inv_freq = 1.0 / (spec.rope_theta ** (np.arange(0, spec.head_size, 2, dtype=np.float64) / spec.head_size))
        freqs = np.arange(spec.context_length, dtype=np.float32)[:, None] * inv_freq.astype(np.float32)[None, :]
        freqs = torch.from_numpy(np.concatenate([freqs, freqs], axis=-1))
        self.register_buffer("cos", freqs.cos())
        self.register_buffer("sin", freqs.sin())
        self.reset_parameters()

    def reset_parameters(self):
        for name, p in self.named_parameters():
            if name.endswith("_b"):
                nn.init.zeros_(p)
            elif "norm" in name:
                nn.init.ones_(p)
            elif name == "embed":
                nn.init.normal_(p, std=0.02 * self.spec.hidden_size ** 0.5)
            else:
                nn.init.normal_(p, std=p.shape[0] ** -0.5)
        for layer in self.layers:
            # Residual branches start small so that early training is stable.
            layer.attn.o_w.data.mul_(0.5 / len(self.layers) ** 0.5)
            layer.down_w.data.mul_(0.5 / len(self.layers) ** 0.5)

    def forward(self, ids, past=None):
        start = 0 if past is None else past[0][0].shape[2]
        cos = self.cos[start:start + ids.shape[1]]
        sin = self.sin[start:start + ids.shape[1]]
        x = self.embed[ids]
        presents = []
        for i, layer in enumerate(self.layers):
            x, present = layer(x, cos, sin, None if past is None else past[i])
            presents.append(present)
        x = rms_norm(x, self.final_norm, self.spec.rms_eps)
        return x @ self.lm_head + self.logits_bias, presents

    def export(self):
        """The builders' weights dict (numpy float32, MatMul weights [in, out])."""
        w = {"embed": self.embed, "final_norm": self.final_norm, "lm_head": self.lm_head}
        for i, layer in enumerate(self.layers):
            p = f"layers.{i}."
            w[p + "input_norm"], w[p + "post_norm"] = layer.input_norm, layer.post_norm
            for n in ("q_w", "q_b", "k_w", "k_b", "v_w", "v_b", "o_w"):
                w[p + n] = getattr(layer.attn, n)
            for n in ("gate_w", "up_w", "down_w"):
                w[p + n] = getattr(layer, n)
        return {k: v.detach().numpy().astype(np.float32).copy() for k, v in w.items()}

    def load(self, weights):
        with torch.no_grad():
            for name, value in self.export().items():
                target = self._parameter(name)
                target.copy_(torch.from_numpy(np.asarray(weights[name], dtype=np.float32)))

    def _parameter(self, name):
        if not name.startswith("layers."):
            return getattr(self, name)
        _, i, n = name.split(".")
        layer = self.layers[int(i)]
        return getattr(layer.attn, n) if n[0] in "qkvo" and n[1] == "_" else getattr(layer, n)
