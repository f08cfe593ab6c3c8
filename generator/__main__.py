"""`python -m generator` runs the apismith CLI."""

from generator.cli import main

main()
