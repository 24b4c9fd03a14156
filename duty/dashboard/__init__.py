"""The read side across apps: the chairman's town dashboard, the deputy's and the staff's home panels and
the district comparison. Every figure comes with the URL of the filtered list that explains it, and
each dashboard reads a fixed number of queries whatever the number of deputies, households or projects.

Quota figures come from visits.quota (the one quota engine); suggestion rates from
suggestions.services.handling_statistics; project lights are the lights recorded in review rounds
(supervision.services.record_review lights them with supervision.lights).

One module per topic: `base` (links, charts and the town's figures as data), `figures` (the town
dashboard and the district comparison, read in grouped queries) and `panels` (the home page's panels).
The names below are the package's public face: `from duty import dashboard` and `dashboard.X` keep working.
"""

from duty.dashboard.base import LIGHTS, UNREVIEWED, Chart, TownFigures, link, month_range, percent
from duty.dashboard.figures import DISTRICT_SORTS, district_rows, town_figures
from duty.dashboard.panels import Figure, deputy_panel, staff_panel

__all__ = [
    "DISTRICT_SORTS",
    "LIGHTS",
    "UNREVIEWED",
    "Chart",
    "Figure",
    "TownFigures",
    "deputy_panel",
    "district_rows",
    "link",
    "month_range",
    "percent",
    "staff_panel",
    "town_figures",
]
