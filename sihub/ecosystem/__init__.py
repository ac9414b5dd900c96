"""Ecosystem statistics, one module per tab of the page:

- ``regions``: where innovations work (the tile map of the 22 areas, and the rest);
- ``organisations``: who develops them (organisation types, the collaboration network);
- ``themes``: what they address (themes × target groups, target groups with few);
- ``flow``: how the pipeline moves (per quarter, per stage, per round, dimension means);
- ``money``: where money goes (awards, calls taking applications);
- ``quality``: how complete the data is (key fields, never assessed, stale, sparse).

Every function takes a Store and returns a DataFrame (or a small dict) with names in the
requested language; the ``*_sentence`` functions say the same in words. Those that count or
score assessments take the viewer's visibility (``sihub.access``) after the store: counts are
of the assessments the viewer sees; scores are those of ``sihub.scores`` (latest round,
external, missing scores left out) of the assessments the viewer sees, so a figure here
never disagrees with the same viewer's profile. "Not
recorded" rows carry ``sihub.overview.NOT_RECORDED`` as their code, as on the overview.
"""
