"""People and what they may do: users who log in by e-mail or phone, role grants over a unit, center,
producer or operator, permission predicates, API tokens, the login guard and self-service accounts."""
