"""The bundled sample: a small ML library with history, and issues in GitHub's shapes.

`prready-demo/tinyml` is a library of our own (tensors, autograd, nn, optim, data, linalg,
C++/CUDA kernels, docs, tests). Entry points:

- `sample_history.sample_history()` -> the commits to build it (`git_repo.build_repo`),
  `sample_history.sample_tree()` -> its final files, `SAMPLE_SLUG`;
- `sample_issues.sample_payloads()` -> repository, labels, issues (pull requests included),
  comments, timelines, pulls and their files, as GitHub's REST API returns them, with
  `SAMPLE_NOW` and `SAMPLE_FETCHED_AT` fixing every time the demo shows;
- `sample_issues.merged_fixes()` -> closed issue -> the merged pull request that fixed it.
"""
