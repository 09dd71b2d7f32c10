"""The trained weights on disk: an .npz whose bytes depend only on the arrays.

numpy's savez stamps each member with the current time; writing the zip by hand with a fixed
timestamp and sorted names makes the committed file reproducible.
"""
import io
import zipfile

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)


def save(path, weights):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(weights):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(weights[name], dtype=np.float32),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, buffer.getvalue())


def load(path):
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}
