"""Start Apertium APy listening on 127.0.0.1 only.

APy has no bind option and listens on every interface; the tests must not,
so tornado's bind is wrapped to pass the loopback address. Arguments are
APy's own, e.g. `-p 2737 /usr/share/apertium/modes`.
"""
import sys

import tornado.httpserver

_bind = tornado.httpserver.HTTPServer.bind


def bind(self, port, address=None, *args, **kwargs):
    return _bind(self, port, "127.0.0.1", *args, **kwargs)


tornado.httpserver.HTTPServer.bind = bind

from apertium_apy import apy  # noqa: E402  (after the patch, on purpose)

sys.argv = ["apertium-apy"] + sys.argv[1:]
apy.main()
