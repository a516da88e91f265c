"""newsqa's HTTP service."""
