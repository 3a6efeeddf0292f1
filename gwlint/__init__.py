"""gwlint: a static policy linter for Kubernetes Gateway API manifests."""

__version__ = "0.1.0"
