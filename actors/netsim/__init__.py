"""Ray side of the netsim workload."""
