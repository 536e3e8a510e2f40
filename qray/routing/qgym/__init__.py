"""The qgym-compatible mode: the ``Routing`` env, its state, interaction generators,
rewarders, observation features and rendering."""
