"""The pure clinical core: instruments, clinical rules, planning and statistics.

See ``README.md`` in this package for the rules every module follows.
"""
