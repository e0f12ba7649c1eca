"""Shared parts with no domain of their own: base models, errors, money in đồng, dates in Hanoi time,
Vietnamese text folding, idempotency records, rate limits, change history, charts and progress.
Every app may import it; it imports none of them."""
