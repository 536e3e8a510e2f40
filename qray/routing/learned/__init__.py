"""Learned routers: exported policies (weights, format, loading), the front-layer scorer,
the NumPy fast path, the env RLlib trains on and imitation warm starts."""
