"""The front-layer mode: the DAG's front layer as state, its env, features, the routed
circuit's writer and the ``front-greedy``/``front-search-<width>`` router."""
