"""The bundled sample: a small ML library with history, and issues in GitHub's shapes."""
