"""Commands beside generate/check/validate: each module is one CLI command's logic."""
