"""The pure core: bytes or text in, dataclasses out. Nothing here imports Django."""
