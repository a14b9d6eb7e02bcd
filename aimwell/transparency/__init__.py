"""Transparency towards people outside: AI system cards, the opt-in public page, and the public
form through which anyone affected can raise a concern."""
