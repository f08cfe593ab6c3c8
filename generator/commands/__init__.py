"""Commands beyond generate/check/validate, one module each."""
