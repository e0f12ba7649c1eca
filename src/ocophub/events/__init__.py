"""Events: promotion events of the centers, their sessions, registrations, tickets, waiting lists, check-in.

- An event (exhibition, fair, launch, demonstration, hands-on workshop, trade session) is organised by
  one center, at the center or at another address in Hanoi; draft → published, or cancelled.
- A session is a dated occurrence with its seats: one `seats.Capacity` ("events.session", id) made by
  the seats services, so that a room is never sold over its total whatever the database.
- A registration holds seats for a party with `seats_hold` (all or nothing). A free session, or one
  paid at the door, is confirmed at once; one paid by VietQR stays held for REGISTRATION_HOLD_MINUTES
  and is confirmed by its payment, or expires with its hold (the seats' job, our hook).
- Money is payment and refund rows with states; what is paid or refunded is a derived sum. A visitor
  who cancels gets back the share of the session's cancellation rule (by whole days before the start,
  rounded half up to the đồng); a session the center cancels is refunded in full.
- When a session is full the visitor joins its waiting list; freed seats are offered to the first
  waiting party that fits, as a held registration, for WAITLIST_OFFER_MINUTES, then to the next.
- A ticket is an unguessable code (its QR code on the page and in the e-mail); checking it in takes
  the party's seats through `seats_check_in`, once.
"""
