"""The security suites: the permission matrix, hostile input, mass assignment, login protection. Their
figures are printed at the run's end (tests/conftest.py); Hypothesis's profile is set there too."""
