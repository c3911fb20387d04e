"""prready: a staged, tracked plan from first contact to a substantial PR in an ML library."""

__version__ = "0.1.0"
