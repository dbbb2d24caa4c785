"""The desk: where the pipeline meets the database (store, schedule, re-run)."""
