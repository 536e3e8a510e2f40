"""The workload-independent Ray runtime: driver, executor, pool, resources, metrics, the generic binding and actor shell."""
