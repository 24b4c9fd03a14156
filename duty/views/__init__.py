"""The pages of the deputies' year, the dashboards and the home page."""
