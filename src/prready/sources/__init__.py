"""Sources: the only code that talks to GitHub (github_api) and git (git_repo)."""
