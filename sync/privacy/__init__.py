"""Privacy primitives both ends share: sealed boxes, campaign keys, email HMACs,
withdrawal codes and passphrases. No Qt, no kiosk: the central store uses them
on a server, the kiosk on its laptop.
"""
