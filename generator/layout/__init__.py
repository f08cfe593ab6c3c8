"""Layout: generated Python printed as black prints it (`fit` shapes statements as the
templates emit them; `replay` lays out the rest with black's rules; `format` runs a pass or
the user's own formatter)."""
