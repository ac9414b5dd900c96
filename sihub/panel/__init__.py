"""The lion's den: a live funder panel that scores pitches on the day (issue 18).

Staff create a session (a name, a date, a framework, pitches in order, members); members join
on their phones (signed in as funders, or by the session's join code and a name) and rate the
current pitch; staff move the session on (next, close, reveal, reopen) and the room's screen
shows how many members have scored, then, once revealed, the result.

- ``sessions``: sessions, pitches, members and the state machine;
- ``scoring``: a member's scores saved as one assessment of type ``funder_panel`` per member
  and pitch (a repeated save updates it), and the counts the screen shows;
- ``results``: a revealed pitch's result on the framework's own scale, its spread and
  comments, the whole session side by side, and each pitch summed up in words;
- ``export``: the session's workbook.

Everything is in the store the moment a call returns: a phone that sleeps, a reload or an app
restart finds the session where it was. Who may see a session's scores is
``sihub.access.sees_panel``. Streamlit-free.
"""
