"""What the kiosk does with privacy on its own tables: installing the campaign
keys, forgetting withdrawn signatures, clearing sealed data past retention.

No Qt here. The primitives (sealed boxes, key files, withdrawal codes, email
HMACs) are `sync.privacy`, shared with the central store. The kiosk only
ever holds the campaign's *public* key (and the email HMAC key); the private
key stays with the organisers.
"""
