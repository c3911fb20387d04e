"""Pure analysis: data in, data out; no network, disk or clock."""
