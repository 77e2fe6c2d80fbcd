"""`python -m engine.cli`: the `subsidy` command, as the console starts it for background runs."""

from engine.cli import main  # absolute: spark-submit runs this file as a script

main()
