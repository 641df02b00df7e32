"""The benchmark and its synthetic corpus: for development and CI, never loaded in production."""
