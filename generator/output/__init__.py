"""The output folder: write only what changed, atomically (`write`); skip unchanged runs (`fastpath`)."""
