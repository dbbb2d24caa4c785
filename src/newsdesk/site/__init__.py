"""The reader-facing site: pages, blocks, feeds out, JSON twins."""
