"""Benchmarks that print figures and write JSON to bench/results/; never run or asserted by the test suite."""
