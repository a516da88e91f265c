"""Adapters that put newsqa inside other frameworks."""
