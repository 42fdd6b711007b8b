"""Use cases: plain values plus a session in, typed results out."""
