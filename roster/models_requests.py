"""Leave and swap requests with two-level approval (R-LEAVE-1..4, R-SWAP-1..2). Imported by roster.models."""
