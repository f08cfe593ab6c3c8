"""The front end: load a document, resolve its `$ref`s, repair it (normalize), parse it."""
