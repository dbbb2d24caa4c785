"""newsdesk: a self-hosted news desk.

One BLAS thread per process, unless the environment says otherwise. spaCy's entity
model multiplies small matrices, one article at a time; OpenBLAS (numpy's) starts a
thread per core for them, and on a machine whose cores are busy (the desk's own server,
workers and ingest side by side) that thread spins for nothing: about a sixth of the
model's CPU time. The desk runs in parallel across processes, not inside one. Set
here, before numpy is first imported, because OpenBLAS reads it only once.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
