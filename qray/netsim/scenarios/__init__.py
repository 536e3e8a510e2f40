"""Attack scenarios: which paths deliver in each frame (True) and which are denied."""
