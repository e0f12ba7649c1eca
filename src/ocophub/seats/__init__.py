"""Seats: capacities, the holds that bookings place on them, and the append-only seat ledger.

The seat twin of the stock rule (shared/DESIGN.md rule 6), shared by events (a session's room) and
tours (a departure's vehicle, a workshop stop's room):

- A capacity has a `total`, seats `held` by unexpired, unpaid holds and seats `taken` by confirmed
  ones; free = total − held − taken. The database refuses held < 0, taken < 0 and held + taken > total
  (CheckConstraint), and `checked_in` never passes `taken`.
- Every change is a conditional UPDATE (`WHERE total >= held + taken + n`, `WHERE held >= n`, …) whose
  row count is checked, so that two bookings of the last seat cannot both have it whatever the
  database's isolation level; the ledger row (SeatMovement) is written in the same transaction, and
  the ledger sums to the counters.
- A hold claims seats on one or more capacities at once, all or nothing, touching them in primary-key
  order so that two bookings of the same capacities cannot deadlock on PostgreSQL.
- A hold is held → confirmed (paid) → cancelled, or held → released / expired; its seats are
  cancelled and checked in line by line, partly too, and a seat is checked in once.
- An owner (an event session, a tour departure) is named by a label and an id ("events.session", 12),
  like common.ChangeRecord, so that this app knows nothing of the apps above it.
"""
