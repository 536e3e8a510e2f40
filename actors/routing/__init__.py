"""Ray side of the routing workload: the router actor, its RLModule, RLlib training, export, the pipeline."""
