"""The generator of prready's bundled demo sample (a development tool, not shipped).

The sample library `prready-demo/tinyml` is written here as code: its final files as
string literals (`sample_code*`, `sample_native`, `sample_repo_files`), its history as
commits that undo hunks from the final tree (`history_steps`, `sample_history`), and its
issues and pull requests as items (`issues_open`, `issues_closed`) turned into GitHub's REST
shapes (`rest_shapes`, `sample_issues`). tools/make_demo_data.py writes what prready ships
from it: src/prready/demo/data/github.json and tinyml.bundle.
"""
