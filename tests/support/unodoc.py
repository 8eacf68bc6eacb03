"""For the scripts that the system Python runs (it has `uno`): reach the running LibreOffice
and open a document in it, hidden."""

import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def open_document(connection, path):
    """(the component context, the document at `path` loaded hidden)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(600):
        try:
            ctx = resolver.resolve("uno:" + connection)
            break
        except Exception:
            time.sleep(0.05)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(str(path)), "_blank", 0, (prop("Hidden", True),)
    )
    return ctx, doc
