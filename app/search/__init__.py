"""The global search: one box in the top bar finds any record the user may see, by the words
of its titles, numbers, names, body text and remarks (issue 20)."""
