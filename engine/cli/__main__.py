"""`python -m engine.cli`: the `subsidy` command, as the console starts it for background runs."""

from . import main

main()
