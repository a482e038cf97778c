"""Documents for people: the printable home plan (HTML and PDF, English and Chinese)."""
