"""Pure rules and types of the customer book (stdlib only: no Qt, no database)."""
