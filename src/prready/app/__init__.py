"""Application layer: one function per command, wiring sources -> store -> analysis -> renderers."""
