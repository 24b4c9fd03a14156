"""The deputies' year and the read side across the apps: activities, rosters, the record of duty,
the annual checklist, the dashboards and the home page."""
