"""Demo and benchmark data: the builders behind `manage.py seed_demo` and `manage.py seed_scale`."""
