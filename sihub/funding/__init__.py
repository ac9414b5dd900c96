"""Funding opportunities, one module per concern:

- ``status``: the one definition of a call's status on a day, and of "today" (in Finland);
- ``filters``: the calls a user asked for (``CallFilter``), kept in the URL;
- ``catalogue``: the calls that pass a filter, one call, what the amount range left out;
- ``words``: calls in words (amounts, deadlines, a call's facts, provenance);
- ``timeline``: the deadline timeline's rows, table and sentence;
- ``export``: the call list as exported (labels the import recognises);
- ``matching``: explainable matches of calls and innovations, in both directions.

Names of vocabularies come from ``sihub.reference.vocabularies``.
"""
