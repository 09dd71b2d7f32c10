"""Per-token bookkeeping derived from the dynamic-batching engine's inputs, shared by all layers."""
import numpy as np

from .graph import INT64


class PagedBatch:
    """Each scheduled token attends over its own request's blocks, laid end to end.

    Attention is computed per token, not per request: a decode step (one token per request) then
    needs no padded query grid, and a prefill needs no causal mask beyond "slot <= my position".
    """

    def __init__(self, g, block_size, kv_heads, input_ids, cum, past, table):
        self.g = g
        i64 = g.i64
        cum64 = g.op("Cast", [cum], "batch/cum", to=INT64)
        starts = g.op("Slice", [cum64, i64([0]), i64([-1]), i64([0])], "batch/starts")
        ends = g.op("Slice", [cum64, i64([1]), i64([np.iinfo(np.int64).max]), i64([0])], "batch/ends")
        past64 = g.op("Cast", [past], "batch/past", to=INT64)
        self.last_token = g.op("Sub", [ends, i64(1)], "batch/last_token")

        # Token t belongs to the request whose range [start, end) holds it: the number of
        # requests that end at or before t.
        num_tokens = g.op("Gather", [g.op("Shape", [input_ids], "batch/ids_shape"), i64(0)], "batch/num_tokens")
        token = g.op("Range", [i64(0), num_tokens, i64(1)], "batch/token")
        ended = g.op("GreaterOrEqual", [self._col(token), self._row(ends)], "batch/ended")
        row = g.op("ReduceSum", [g.op("Cast", [ended], "batch/ended_i64", to=INT64), i64([1])],
                   "batch/row", keepdims=0)
        offset = g.op("Sub", [token, g.op("Gather", [starts, row], "batch/row_start", axis=0)], "batch/offset")
        self.position = g.op("Add", [g.op("Gather", [past64, row], "batch/row_past", axis=0), offset],
                             "batch/position")

        # Cache slot of each new token: (physical block, slot within the block).
        table64 = g.op("Cast", [table], "batch/table", to=INT64)
        bs = i64(block_size)
        column = g.op("Div", [self.position, bs], "batch/block_column")
        block = g.op("GatherND", [table64, self._pair(row, column, "batch/table_index")], "batch/block")
        slot = g.op("Mod", [self.position, bs], "batch/slot")
        self.cache_index = self._pair(block, slot, "batch/cache_index")

        # kv_slot[t, l]: the cache slot (block * block_size + offset, in the cache seen as
        # [num_blocks * block_size, kv_heads, head_size]) holding position l of token t's request.
        # Positions t may not see (later, or never written: blocks handed over by the engine can
        # hold uninitialised memory, NaN included) read t's own slot instead, written this step,
        # so every value attention reads is finite; their scores are masked below.
        columns = g.op("Gather", [g.op("Shape", [table], "batch/table_shape"), i64(1)], "batch/columns")
        kv_pos = g.op("Range", [i64(0), g.op("Mul", [columns, bs], "batch/kv_span"), i64(1)], "batch/kv_pos")
        token_table = g.op("Gather", [table64, row], "batch/token_table", axis=0)  # [N, columns]
        kv_block = g.op("Gather", [token_table, g.op("Div", [kv_pos, bs], "batch/kv_column")], "batch/kv_block",
                        axis=1)  # [N, L]
        kv_slot = g.op("Add", [g.op("Mul", [kv_block, bs], "batch/kv_block_start"),
                               g.op("Mod", [kv_pos, bs], "batch/kv_offset")], "batch/kv_slot_any")
        own_slot = g.op("Add", [g.op("Mul", [block, bs], "batch/own_block_start"), slot], "batch/own_slot")
        visible = g.op("LessOrEqual", [self._row(kv_pos), self._col(self.position)], "batch/visible")  # [N, L]
        kv_slot = g.op("Where", [visible, kv_slot, self._col(own_slot)], "batch/kv_slot")
        # kv_rows[t, h, l]: the same positions as rows of the cache seen as [slots * kv_heads, head_size].
        heads = i64(np.arange(kv_heads, dtype=np.int64).reshape(1, kv_heads, 1))
        self.kv_rows = g.op("Add", [g.op("Mul", [g.op("Unsqueeze", [kv_slot, i64([1])], "batch/kv_slot3"), i64(kv_heads)],
                                         "batch/kv_slot_rows"), heads], "batch/kv_rows")
        self.visible_scores = g.op("Unsqueeze", [visible, i64([1, 2])], "batch/visible_scores")  # [N, 1, 1, L]

    def _col(self, x):
        return self.g.op("Unsqueeze", [x, self.g.i64([1])], "batch/col")

    def _row(self, x):
        return self.g.op("Unsqueeze", [x, self.g.i64([0])], "batch/row_vec")

    def _pair(self, a, b, hint):
        return self.g.op("Concat", [self._col(a), self._col(b)], hint, axis=1)
