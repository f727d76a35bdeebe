"""Flask-AppBuilder's own interface strings that its zh catalog leaves untranslated.

Our catalog is merged after FAB's and wins, so listing them here (for extraction)
with their zh translation in translations/zh makes FAB's screens fully Chinese.
Nothing imports this module at run time.
"""
from flask_babel import lazy_gettext as _l

FAB_STRINGS = [
    _l("Add"), _l("Edit"), _l("Show"), _l("Delete"), _l("Cancel"), _l("OK"), _l("List Groups"), _l("Groups"),
    _l("Page not found"), _l("Not a valid choice"), _l("Start with"), _l("Detail"), _l("Search"),
    _l("Add a new record"), _l("Edit record"), _l("Show record"), _l("Delete record"), _l("Back"),
    _l("Save"), _l("Refresh"), _l("Add Filter"), _l("Actions"), _l("Record Count"), _l("Page size"),
    _l("No records found"), _l("Are you sure you want to delete this item?"), _l("User confirmation needed"),
    _l("Select Value"), _l("Equal to"), _l("Not Equal to"), _l("Contains"), _l("Not Contains"),
    _l("Ends with"), _l("Greater than"), _l("Smaller than"), _l("Relation"), _l("No Relation"),
    _l("Enter your login and password below"), _l("Username"), _l("Password"), _l("Sign In"),
    _l("Invalid login. Please try again."), _l("Access is Denied"), _l("Added Row"), _l("Changed Row"),
    _l("Deleted Row"), _l("Association exists"), _l("Forbidden"),
    # the user form's help texts and the groups screen
    _l("It's not a good policy to remove a user, just make it inactive"),
    _l("The user group on the application, this will associate with a list of roles associated with the group"),
    _l("The user's password for authentication"), _l("Add Group"), _l("Show Group"), _l("Edit Group"),
    _l("User(s) exists in the group, cannot delete"), _l("User(s) exists in the role, cannot delete"),
    _l("Username valid for authentication on DB or LDAP, unused for OID auth"),
    _l("The user's email, this will also be used for OID auth"),
    _l("Edit User Information"), _l("User information changed"),
]
