"""Ray side of the qkernels workload: the kernel workers, the tiled Gram and its trial."""
