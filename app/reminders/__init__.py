"""Reminders and the bell: what falls due before it is overdue, a 催办 received (of a supervision
item, or a document's 催办 step), an extension decided — told to the users of the unit whose
record it is (and its registrar), in the app and, where SMTP is configured, in a daily e-mail
digest; each day's digest entry in the bell; a weekly overdue summary to each unit's managers.
`kinds` names what can be told, `notify` writes it (once per happening, as each user chose),
`run` is the daily run (the job queue's, or `flask reminders`), `feeds` the save hooks that
tell at once, `mail` the digest, `screens` the bell's pages."""
