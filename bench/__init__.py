"""`make bench`: speed as ratios against raw SQL on the same data."""
