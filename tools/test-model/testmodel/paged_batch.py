"""Per-token bookkeeping derived from the dynamic-batching engine's inputs, shared by all layers.

Computed in int32, the engine's own index type, with one cast where ScatterND needs int64; column
vectors ([N, 1]) broadcast against rows, so few reshapes are needed. Every node here runs once per
engine step, and on a model this small a node's fixed cost is a measurable part of a step.
"""
import numpy as np

from .graph import INT32, INT64


class PagedBatch:
    """Each scheduled token attends over its own request's blocks, laid end to end.

    Attention is computed per token, not per request: a decode step (one token per request) then
    needs no padded query grid, and a prefill needs no causal mask beyond "slot <= my position".
    """

    def __init__(self, g, block_size, cum, past, table):
        def i32(value):
            return g.const(value, np.int32)

        starts = g.op("Slice", [cum, g.i64([0]), g.i64([-1])], "batch/starts")
        ends = g.op("Slice", [cum, g.i64([1]), g.i64([np.iinfo(np.int64).max])], "batch/ends")
        self.last_token = g.op("Sub", [ends, i32(1)], "batch/last_token")  # [B]

        # Token t belongs to the request whose range [start, end) holds it: the number of
        # requests that end at or before t.
        num_tokens = g.op("Gather", [cum, g.i64(-1)], "batch/num_tokens")
        token = g.op("Range", [i32(0), num_tokens, i32(1)], "batch/token")  # [N]
        ended = g.op("GreaterOrEqual", [g.op("Unsqueeze", [token, g.i64([1])], "batch/token_col"), ends],
                     "batch/ended")  # [N, B]
        row = g.op("ReduceSum", [g.op("Cast", [ended], "batch/ended_count", to=INT32), g.i64([1])], "batch/row",
                   keepdims=0)
        shift = g.op("Sub", [past, starts], "batch/shift")  # position of a request's token = its index + shift
        position = g.op("Add", [token, g.op("Gather", [shift, row], "batch/row_shift", axis=0)], "batch/position")
        self.position = g.op("Unsqueeze", [position, g.i64([1])], "batch/position_col")  # [N, 1]

        # Cache slot of each new token: (physical block, slot within the block).
        bs = i32(block_size)
        token_table = g.op("Gather", [table, row], "batch/token_table", axis=0)  # [N, columns]
        column = g.op("Div", [self.position, bs], "batch/column")  # [N, 1]
        block = g.op("GatherElements", [token_table, column], "batch/block", axis=1)
        slot = g.op("Mod", [self.position, bs], "batch/slot")
        cache_index = g.op("Concat", [block, slot], "batch/cache_index", axis=1)  # [N, 2]

        # The blocks each token reads: its request's block-table row up to the token's own block.
        # Columns after it hold only positions the token may not see; they read the token's own
        # block again, so a padding entry (-1) or a block not written yet is never touched.
        columns = g.op("Cast", [g.op("Gather", [g.op("Shape", [table], "batch/table_shape"), g.i64(1)],
                                     "batch/columns64")], "batch/columns", to=INT32)
        column_ids = g.op("Range", [i32(0), columns, i32(1)], "batch/column_ids")
        read_column = g.op("Min", [column_ids, column], "batch/read_column")  # [N, columns]
        self.kv_blocks = g.op("GatherElements", [token_table, read_column], "batch/kv_blocks", axis=1)
        kv_pos = g.op("Range", [i32(0), g.op("Mul", [columns, bs], "batch/kv_span"), i32(1)], "batch/kv_pos")  # [L]
        visible = g.op("LessOrEqual", [kv_pos, self.position], "batch/visible")  # [N, L]
        self.visible_scores = g.op("Unsqueeze", [visible, g.i64([1])], "batch/visible_scores")  # [N, 1, L]

        # Every slot a token reads must have been written: earlier blocks are full, later tokens of
        # the same step are written in this step, and the tail of each request's last block (after
        # its last token) holds copies of a key and value written into it. Blocks handed over by
        # the engine can hold uninitialised memory (NaN included), so none is ever read.
        # The tail writes only positions after the request's last scheduled token, in the block
        # that token is written to, which no other request reads (GenAI shares only full blocks
        # between requests, under prefix caching), so no visible slot of any request is touched.
        # A block needs its tail filled once, in the step that first writes into it: later steps
        # only overwrite copies with their own tokens. So only requests whose last token's block
        # starts at or after their past length (a block opened in this step) fill; in a decode
        # that is one step in block_size, and the other steps scatter no tail at all. This relies
        # on GenAI committing each request's slots in order, from the first slot of every block it
        # takes, so the step that opens a block is the first to write it.
        last_position = g.op("Add", [self.last_token, shift], "batch/last_position")  # [B]
        block_start = g.op("Sub", [last_position, g.op("Mod", [last_position, bs], "batch/last_slot")],
                           "batch/last_block_start")
        opens_block = g.op("GreaterOrEqual", [block_start, past], "batch/opens_block")
        filling = g.op("Compress", [self.last_token, opens_block], "batch/filling", axis=0)  # [F]
        last_token = g.op("Unsqueeze", [filling, g.i64([1])], "batch/last_token_col")  # [F, 1]
        last_index = g.op("Gather", [cache_index, last_token], "batch/last_index", axis=0)  # [F, 1, 2]: (block, slot)
        step = np.zeros((block_size, 2), dtype=np.int32)
        step[:, 1] = np.arange(block_size)
        tail = g.op("Min", [g.op("Add", [last_index, i32(step)], "batch/tail_span"),
                            i32([np.iinfo(np.int32).max, block_size - 1])], "batch/tail")  # [F, block_size, 2]
        # write_index[w] receives the key and value of token write_source[w]: every token's own
        # slot, then each filling request's tail from its last token. The last token's own slot and
        # the block's last slot are named more than once, always with that token's values. ONNX leaves
        # repeated ScatterND indices unspecified; ONNX Runtime writes each, and since the values
        # are the same, any order gives the same cache.
        write_index = g.op("Concat", [cache_index, g.op("Reshape", [tail, g.i64([-1, 2])], "batch/tail_index")],
                           "batch/write_index32", axis=0)
        self.write_index = g.op("Cast", [write_index], "batch/write_index", to=INT64)
        tail_source = g.op("Reshape", [g.op("Expand", [last_token, g.i64([1, block_size])], "batch/tail_tokens"),
                                       g.i64([-1])], "batch/tail_source")
        self.write_source = g.op("Concat", [token, tail_source], "batch/write_source", axis=0)
