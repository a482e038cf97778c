"""Use cases: load through repositories, call the domain, save. Never commit.

Every function takes the session first and everything else keyword-only; the
caller (a web request or a CLI command) owns the transaction.
"""
