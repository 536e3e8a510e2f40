"""Ray side of the cloud workload: the scheduler actor, RLlib training, export, the training pipeline."""
