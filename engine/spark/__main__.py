"""`python -m engine.spark INPUT OUTPUT --as-of DATE` and spark-submit's application file.

Absolute imports: spark-submit runs this file as a script, with the package on --py-files.
"""

from engine.spark.command import spark_screen

if __name__ == "__main__":
    spark_screen()
