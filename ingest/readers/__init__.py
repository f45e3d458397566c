"""Readers: one module per file format, each returning a `RawText`."""
