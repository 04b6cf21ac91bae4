"""``almanac.calendar``: the pure calendar knowledge (issue 4; R6, R7, R9)."""
