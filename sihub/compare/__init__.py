"""Innovations, or groups of them, side by side criterion by criterion.

Every number comes from ``sihub.scores``: an innovation's score on a criterion is the mean of
its assessors' normalised scores in its latest round, missing scores left out. A group's score
on a criterion is the mean over its innovations (each innovation counts once). A cell that no
one scored stays missing ("not assessed"), never 0, and every cell and column says how many
innovations, scores and assessors it rests on.

The modules, each imported by its own name:

- ``selection``: what to compare and how to show it, as they live in the URL;
- ``queries``: reference data, options and the comparison itself (``comparison_of``);
- ``display``: a score as the pages print it (on its scale or 0-100), short axis labels;
- ``views``: the order of columns and criteria, the heatmap's cells, the grid as a table;
- ``agreement``, ``rounds``, ``self_external``: the other views' numbers;
- ``words``: every view in sentences; ``export``: the comparison as a workbook.
"""
