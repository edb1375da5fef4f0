"""`callboard bench`: the budgets of SPEC §9, measured against the simulator and reported as JSON."""
