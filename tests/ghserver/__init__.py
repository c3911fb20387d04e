"""A loopback GitHub REST server for prready's tests (standard library only).

from ghserver import Dataset, GitHubServer
with GitHubServer(dataset) as server:
    gh = github.Github(base_url=server.url, auth=github.Auth.Token("t"))
"""

from .api import ApiRequest, ApiResponse, handle
from .dataset import Dataset, DatasetError, iso
from .server import FAULT_KINDS, GitHubServer, RequestRecord

__all__ = [
    "FAULT_KINDS",
    "ApiRequest",
    "ApiResponse",
    "Dataset",
    "DatasetError",
    "GitHubServer",
    "RequestRecord",
    "handle",
    "iso",
]
