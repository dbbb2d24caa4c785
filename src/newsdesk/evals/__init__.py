"""`newsdesk eval …`: each benchmark runs a pipeline stage over external labelled data.

One module per benchmark. Each exposes `HELP` (one line), `add_arguments(parser)` and
`run(args) -> int`, and prints its figures beside its peer's, measured in the same run.
No module here imports Django: a benchmark measures the pure pipeline. The one exception is
`desk` (the whole desk as a reader sees it), whose desk side lives in `newsdesk.desk.desk_eval`
and is imported, with Django, only when that benchmark runs.
"""

import importlib

EVALS = ("extraction", "textdumps", "places", "entities", "stories", "desk")


def load(name: str):
    return importlib.import_module(f"newsdesk.evals.{name}")
