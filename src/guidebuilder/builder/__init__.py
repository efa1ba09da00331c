"""The build, start to end: prepare every edition once, render, check, commit (orchestrator.py); the only
place that forks, pools or lowers priorities (parallel.py); the no-change fast path (state.py); staging,
atomic commit and the build lock (output.py); the cache's size limit (cache.py)."""
