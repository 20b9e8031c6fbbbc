"""`python -m vertrouwd` is the `vertrouwd` command."""

from vertrouwd.cli import main

main()
