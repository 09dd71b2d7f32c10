"""Builds the miniature Qwen2-style test model (tokenizer, ONNX graphs, GenAI configs)."""
