"""`python -m api.cli` runs the gongwen command (used by tests and benchmarks)."""
from api.cli import main

main()
