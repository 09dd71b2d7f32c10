"""Per-token and per-request bookkeeping derived from the dynamic-batching engine's inputs."""
import numpy as np

from .graph import INT64


class PagedBatch:
    def __init__(self, g, spec, block_size, input_ids, cum, past, table):
        self.g = g
        i64 = g.i64
        cum64 = g.op("Cast", [cum], "batch/cum", to=INT64)
        starts = g.op("Slice", [cum64, i64([0]), i64([-1]), i64([0])], "batch/starts")
        ends = g.op("Slice", [cum64, i64([1]), i64([np.iinfo(np.int64).max]), i64([0])], "batch/ends")
        past64 = g.op("Cast", [past], "batch/past", to=INT64)
        query_len = g.op("Sub", [ends, starts], "batch/query_len")
        kv_len = g.op("Add", [past64, query_len], "batch/kv_len")
        self.last_token = g.op("Sub", [ends, i64(1)], "batch/last_token")
        self.num_requests = g.op("Shape", [past], "batch/num_requests")
        self.max_query = g.op("ReduceMax", [query_len], "batch/max_query", axes=[0], keepdims=1)

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
        # Place of each token in the padded [num_requests, max_query] query grid.
        self.grid_index = self._pair(row, offset, "batch/grid_index")
        # -1 pads the block table; Gather still needs a real block there. Whatever that block
        # holds is masked out by kv_valid.
        self.safe_table = g.op("Max", [table64, i64(0)], "batch/safe_table")

        # kv_valid[b, l]: slot l of request b holds a key written by this or an earlier step.
        columns = g.op("Gather", [g.op("Shape", [table], "batch/table_shape"), i64(1)], "batch/columns")
        kv_span = g.op("Mul", [columns, bs], "batch/kv_span")
        kv_pos = g.op("Range", [i64(0), kv_span, i64(1)], "batch/kv_pos")
        valid = g.op("Less", [self._row(kv_pos), self._col(kv_len)], "batch/kv_valid")
        self.kv_valid = g.op("Unsqueeze", [valid, i64([2, 3])], "batch/kv_valid4")  # [B, L, 1, 1]

        # causal[b, 1, q, l]: query q of request b (absolute position past[b] + q) sees slot l.
        max_query_scalar = g.op("Squeeze", [self.max_query, i64([0])], "batch/max_query_scalar")
        query_pos = g.op("Range", [i64(0), max_query_scalar, i64(1)], "batch/query_pos")
        limit = g.op("Add", [self._col(past64), self._row(query_pos)], "batch/limit")  # [B, Q]
        limit3 = g.op("Unsqueeze", [limit, i64([2])], "batch/limit3")  # [B, Q, 1]
        causal = g.op("LessOrEqual", [g.op("Unsqueeze", [kv_pos, i64([0, 1])], "batch/kv_pos3"), limit3],
                      "batch/causal")
        # Repeated for the query heads that share a KV head: [B, 1, group * Q, L].
        group = spec.num_heads // spec.num_kv_heads
        causal4 = g.op("Unsqueeze", [causal, i64([1])], "batch/causal4")  # [B, 1, Q, L]
        self.causal_grouped = g.op("Tile", [causal4, i64([1, 1, group, 1])], "batch/causal_grouped")

    def _col(self, x):
        return self.g.op("Unsqueeze", [x, self.g.i64([1])], "batch/col")

    def _row(self, x):
        return self.g.op("Unsqueeze", [x, self.g.i64([0])], "batch/row_vec")

    def _pair(self, a, b, hint):
        return self.g.op("Concat", [self._col(a), self._col(b)], hint, axis=1)
