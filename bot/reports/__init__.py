"""Reports made from a project's records as files (the close-out report: Markdown and PDF)."""
