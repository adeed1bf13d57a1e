"""Synthetic archives in the seeds' styles, for size and scale measurements. Stub."""
