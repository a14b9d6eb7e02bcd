"""The only writers of context, governance and scope; each write records an audit event."""
