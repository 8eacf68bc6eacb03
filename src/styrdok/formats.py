"""The output formats each command writes. A light module on purpose: the CLI reads it to offer
and check formats without importing the renderers (a command starts faster when it imports
only what it runs)."""

from __future__ import annotations

BUILD = ("docx", "pdf")  # a document: the Word document and its PDF/A
DIFF = ("json", "md", "docx", "pdf")  # a comparison: change list, report and redline
