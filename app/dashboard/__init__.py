"""The dashboard: the home page after login.

What waits for the user (`tasks`), what is overdue by unit (`overdue`), records by
status per function (`status`), and the rates a leader watches (`domains`). Every
figure is counted in SQL over the same base query as the list it links to (`queries`,
`links`); `view` assembles them for the page, which draws them with the vendored
Chart.js and also as linked tables.
"""
