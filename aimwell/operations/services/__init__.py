"""The only writers of the operations registers; each write records an audit event."""
