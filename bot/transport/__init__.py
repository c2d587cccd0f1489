"""Transports: the HTTP callback (webhook) and the long connection, both feeding one intake."""
