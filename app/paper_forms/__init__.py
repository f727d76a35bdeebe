"""The office's paper forms (发文稿纸, 收文处理笺, 电报处理单, 督办通知单, 催办单, 会议纪要):
each a `PaperSpec` declared on its entity (`register(..., papers=[...])`), filled from the
record and its steps by a function here, drawn by its template (templates/paper/<key>.html)
and printed from the record page (app/screens/print_screens.py).

A fill function returns plain text by name — the template's placeholders — so the paper
shows exactly what the record holds, in the reader's language for the form's own words.
"""
