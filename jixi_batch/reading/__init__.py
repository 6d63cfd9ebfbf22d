"""Reading the clerk's input files (INPUTS.md): roles, headers, values, review rows.

    from jixi_batch.reading import read_inputs, InputBundle, InputError
    bundle = read_inputs(paths, policy, year=None)
"""
from .errors import InputError
from .loader import InputBundle, read_inputs

__all__ = ["read_inputs", "InputBundle", "InputError"]
