"""Tours through centers and craft villages: operators, tours with their itineraries, dated departures
with seats, bookings with payments and refunds, waiting lists and check-ins.

The rules:

- A departure's seats are the vehicle's (a seats.Capacity owned by "tours.departure") and those of
  every workshop session on the tour's itinerary (the events' own capacities). A booking holds the
  party's seats on all of them at once through `seats_hold`, all or nothing: a departure sells only
  while the vehicle and each workshop have room.
- Locks are taken in one order: the departure row, then the seats (the seats' own order: the hold,
  then the capacities in primary-key order), then the booking. The seats' expiry job takes a hold and
  its capacities without the departure, so what it frees is offered to the waiting list, and a sold-out
  departure reopened, after its commit, in a transaction of its own that starts with the departure.
- Money is integer đồng; what is paid is the sum of the succeeded payments, refunds are rows against
  them, by the tour's cancellation rule (share by whole days before the departure).
- A visit is a departure's group at a center, once (unique per departure and center), opened by the
  first ticket the center's staff scan there on the departure's day; each booking's ticket counts
  once per center (unique per visit and booking). Counter sales at the center in the visit's window
  are attributed to it in SQL (selectors_visits: the latest arrival takes a sale when windows
  overlap), so the counter's writes are untouched; the commission is rounded once per center,
  operator and month.
"""
