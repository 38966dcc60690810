"""The kiosk's shipped files (texts, content, fonts, icon, keys, packaging).

A package only so that the wheel and the PyInstaller bundle carry the
folder and `importlib.resources` finds it wherever the kiosk is installed;
read it through `kiosk.paths.resource`, never by a path of your own.
"""
