"""Physics models: each builds the candidate paths of one testbed and their reward model."""
