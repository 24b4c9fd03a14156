"""The portal's own pages for a town's reference data, accounts and files (all through access.py)."""
