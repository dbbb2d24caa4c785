"""YAML files read with libyaml's C parser when PyYAML was built with it.

The shipped tables (aliases.yaml, the gazetteer's names) are read by every process that
files an article: the pure-Python safe loader spends about a tenth of a second on them,
the C one a hundredth, with the same safe constructors and the same result.
"""

from __future__ import annotations

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str):
    """``yaml.safe_load``, through the C parser where there is one."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
