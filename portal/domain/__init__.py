"""Domain rules in plain modules: no Flask request, unit-tested without a client."""
