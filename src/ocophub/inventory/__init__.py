"""Consignment: agreements between a producer and a center, lots with expiry dates, stock per center,
and the append-only movement ledger; reservations never oversell (conditional updates)."""
