"""What the tests share: factories for every model, the page client, ways to walk or
skip the registration journey, a signed-in victim, the notifications worker and a
fake Notify, the probe pages and the browser helpers. Fixtures stay in conftest.py
files, where pytest finds them; they build on these modules.
"""
