"""Ray side of the simulators workload."""
