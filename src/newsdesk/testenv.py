"""A pytest plugin loaded first (`-p newsdesk.testenv` in pyproject): point the settings at a
throwaway data folder and let the fetcher reach the tests' own server on 127.0.0.1, before
pytest-django imports the settings."""

import os
import tempfile

os.environ.setdefault("NEWSDESK_DATA_DIR", tempfile.mkdtemp(prefix="newsdesk-test-"))
os.environ["NEWSDESK_ALLOW_PRIVATE"] = "1"
os.environ["NEWSDESK_HOST_DELAY"] = "0"
