"""boardops: monday.com boards as code."""

__version__ = "0.1.0"
