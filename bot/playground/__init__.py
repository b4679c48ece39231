"""Liaison Playground: the real app against a local stand-in for Slack, in a web page (`liaison playground`)."""
