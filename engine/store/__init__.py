"""Storage: companies, append-only profile versions, screening runs and their decisions."""
