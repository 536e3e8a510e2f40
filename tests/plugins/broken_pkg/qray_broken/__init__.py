"""A plugin package with a bug: both of its modules raise when imported."""
