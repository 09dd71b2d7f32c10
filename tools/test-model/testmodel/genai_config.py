"""genai_config.json for both layouts, shaped like the model builder's output for Qwen2 on CPU."""

PAGED_BLOCK_SIZE = 16
# CPU has no device-memory query to size the pool from, so num_blocks must be explicit:
# 1024 blocks of 16 slots hold 8 requests at the full 2048-token context.
PAGED_NUM_BLOCKS = 1024
PAGED_MAX_BATCH_SIZE = 8
# Attention here gathers each scheduled token's own copy of its request's blocks, so a step holds
# tokens x context keys and values per layer. A token budget per step bounds that (long prompts
# are prefilled in chunks) and keeps chunked prefill exercised by tests.
PAGED_MAX_SCHEDULED_TOKENS = 256


def _decoder(spec, inputs):
    return {
        "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
        "filename": "model.onnx",
        "head_size": spec.head_size,
        "hidden_size": spec.hidden_size,
        "inputs": inputs,
        "outputs": {"logits": "logits", "present_key_names": "present.%d.key",
                    "present_value_names": "present.%d.value"},
        "num_attention_heads": spec.num_heads,
        "num_hidden_layers": spec.num_layers,
        "num_key_value_heads": spec.num_kv_heads,
    }


def _config(spec, ids, inputs):
    eos = ids["<｜end▁of▁sentence｜>"]
    return {
        "model": {
            "bos_token_id": ids["<｜begin▁of▁sentence｜>"],
            "context_length": spec.context_length,
            "decoder": _decoder(spec, inputs),
            "eos_token_id": eos,
            "pad_token_id": eos,
            "type": "qwen2",
            "vocab_size": spec.vocab_size,
        },
        # Defaults of DeepSeek-R1-Distill's generation_config (sampling at 0.6 / top_p 0.95).
        "search": {
            "diversity_penalty": 0.0,
            "do_sample": True,
            "early_stopping": True,
            "length_penalty": 1.0,
            "max_length": spec.context_length,
            "min_length": 0,
            "no_repeat_ngram_size": 0,
            "num_beams": 1,
            "num_return_sequences": 1,
            "past_present_share_buffer": True,
            "repetition_penalty": 1.0,
            "temperature": 0.6,
            "top_k": 50,
            "top_p": 0.95,
        },
    }


def standard(spec, ids):
    return _config(spec, ids, {
        "input_ids": "input_ids",
        "attention_mask": "attention_mask",
        "past_key_names": "past_key_values.%d.key",
        "past_value_names": "past_key_values.%d.value",
    })


def paged(spec, ids):
    config = _config(spec, ids, {
        "input_ids": "input_ids",
        "block_table": "block_table",
        "cumulative_sequence_lengths": "cumulative_sequence_lengths",
        "past_sequence_lengths": "past_sequence_lengths",
        "attention_metadata": "attention_metadata",
        "past_key_names": "past_key_values.%d.key",
        "past_value_names": "past_key_values.%d.value",
    })
    config["engine"] = {"dynamic_batching": {
        "block_size": PAGED_BLOCK_SIZE,
        "num_blocks": PAGED_NUM_BLOCKS,
        "max_batch_size": PAGED_MAX_BATCH_SIZE,
        "max_scheduled_tokens": PAGED_MAX_SCHEDULED_TOKENS,
    }}
    return config
