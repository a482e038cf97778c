"""hemojoint: joint protection for children with hemophilia.

The clinical core lives in :mod:`hemojoint.domain` and does no I/O; everything
around it (definitions loader, settings, CLI, later the registry and web app)
calls into it.
"""

__version__ = "0.1.0"
