"""Test helpers shared by the suite (not shipped in the package)."""
