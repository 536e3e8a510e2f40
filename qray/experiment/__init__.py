"""The ``experiment`` workload: a researcher's own callable and a grid, run with every
guarantee the built-in workloads get (content-addressed tasks, resume, rows with
provenance, long-lived actors, summaries). See ``README.md`` beside this file."""
