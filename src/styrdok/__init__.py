"""styrdok: build, compare and archive Helsingborgs stad's governing documents."""

__version__ = "0.1.0"
