"""`newsdesk eval …`: each benchmark runs a pipeline stage over external labelled data.

One module per benchmark. Each exposes `HELP` (one line), `add_arguments(parser)` and
`run(args) -> int`, and prints its figures beside its peer's, measured in the same run.
No module here imports Django: a benchmark measures the pure pipeline.
"""

import importlib

EVALS = ("extraction", "textdumps", "places", "entities", "stories")


def load(name: str):
    return importlib.import_module(f"newsdesk.evals.{name}")
