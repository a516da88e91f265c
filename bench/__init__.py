"""On-demand measurements: `newsqa bench` (speed against raw limits and a baseline) and `newsqa soak` (load)."""
