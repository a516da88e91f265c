"""newsqa's eval suite: gold sets, adapters for public benchmark formats, metrics, report, baseline."""
