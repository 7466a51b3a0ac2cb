"""Probes: small programs that measure a proposal from docs/performance.md before it is built.

They are not product code and not part of ``make bench``; each says what it demonstrates.
"""
