"""The city's plans and their targets per unit, progress against them, and funding commitments and
disbursements by source (every budget level and socialised capital)."""
