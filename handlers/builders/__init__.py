"""Block Kit builders: pure functions from domain values to blocks, each with its own tests."""
