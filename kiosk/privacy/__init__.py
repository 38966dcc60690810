"""Privacy by design: sealing personal data, campaign keys, withdrawal codes.

No Qt here. The kiosk only ever holds the campaign's *public* key (and the
email HMAC key); the private key stays with the organisers.
"""
