"""City-wide matching on Apache Spark: the applicant-list columns in (CSV or Parquet), the same
`Engine` deciding inside every Python worker, compact decisions and per-item summaries out.

What this package owns: reading an input into numbered rows (`reading`), deciding a partition in a
worker with one cached Engine per process (`worker`), the output records and their Spark schemas
(`records`), the per-item summary (`summary`), writing Parquet and Excel-friendly CSV (`writing`),
the job that ties them together (`job`), the SparkSession for a local or cluster run (`session`)
and the `spark-screen` command (`command`).

What it may import: the engine's public API (`from engine import ...`) and the applicant-list
intake (`from engine.intake import ...`), plus pyspark and click. Never engine.store, flask or
other engine internals: a Spark run stores nothing in the database (docs/scale.md says how its
output could become a screening run). durable_rules keeps process-global C state, so no Engine
object ever crosses a process boundary; each worker builds its own from the rules directory.
"""
