"""Supervision of livelihood projects, key projects, evaluations and law inspections."""
