"""Visits (大走访): households, visits, opinions, quota, pairing and mediation."""
