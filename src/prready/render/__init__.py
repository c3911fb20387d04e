"""Renderers: HTML, Markdown, JSON and the terminal, from prepared view data."""
