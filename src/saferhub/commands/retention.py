"""`saferhub retention`: list or remove records past their retention period."""
