"""Entry point of ``python -m search``."""
from search.cli import main

main()
