"""Clinical instruments, one module each, with a uniform ``Scorer`` (see ``base``)."""
