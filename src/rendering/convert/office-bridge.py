"""Keeps one UNO connection to a listening LibreOffice and converts DOCX files to PDF on request.

Started by warm-office.ts. Reads one JSON request per line on stdin,
    {"id": 1, "in": "/tmp/.../document-0.docx", "out": "/tmp/.../document-0.pdf"}
and answers one JSON line on stdout:
    {"ready": true}                                        once connected
    {"id": 1, "ok": true}
    {"id": 1, "ok": false, "kind": "document"|"office", "error": "<exception type>"}
"kind": "office" means the connection to LibreOffice is gone: the caller restarts both processes.
Answers carry exception type names only: a message may quote a path or document content, and
this output ends up in server logs.
"""

import argparse
import json
import os
import sys
import time


def open_answers():
    """The only stream answers go to. Everything else that writes to stdout (UNO's own
    diagnostics, a library warning) is sent to stderr, so it cannot corrupt the protocol."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return answers


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    args = parser.parse_args()
    answers = open_answers()

    def answer(obj):
        answers.write(json.dumps(obj) + "\n")
        answers.flush()

    import uno
    from com.sun.star.beans import PropertyValue
    from com.sun.star.connection import NoConnectException
    from com.sun.star.uno import RuntimeException

    def prop(name, value):
        p = PropertyValue()
        p.Name = name
        p.Value = value
        return p

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % args.pipe
    # The office takes a few seconds to listen when its profile is new.
    deadline = time.monotonic() + args.connect_timeout
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                answer({"ready": False, "error": "NoConnectException"})
                return 3
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    # An explicit import filter: anything that is not a Word document fails to load instead of
    # being read as plain text. No macros, no updating of linked content (which could fetch URLs).
    load_props = (
        prop("Hidden", True),
        prop("ReadOnly", True),
        prop("FilterName", "MS Word 2007 XML"),
        prop("MacroExecutionMode", 0),
        prop("UpdateDocMode", 0),
    )
    store_props = (prop("FilterName", "writer_pdf_Export"),)
    answer({"ready": True})

    for line in sys.stdin:
        if not line.strip():
            continue
        request_id = None
        try:
            request = json.loads(line)
            request_id = request["id"]
            source = uno.systemPathToFileUrl(request["in"])
            target = uno.systemPathToFileUrl(request["out"])
        except Exception as e:  # noqa: BLE001 - a malformed request must not end the bridge
            answer({"id": request_id, "ok": False, "kind": "document", "error": type(e).__name__})
            continue
        try:
            document = desktop.loadComponentFromURL(source, "_blank", 0, load_props)
            if document is None:
                answer({"id": request_id, "ok": False, "kind": "document", "error": "NotLoaded"})
                continue
            try:
                document.storeToURL(target, store_props)
            finally:
                close(document)
            answer({"id": request_id, "ok": True})
        except RuntimeException as e:
            # DisposedException and its kind: the office died or the connection broke.
            answer({"id": request_id, "ok": False, "kind": "office", "error": type(e).__name__})
            return 4
        except Exception as e:  # noqa: BLE001 - IOException, IllegalArgumentException: this file
            answer({"id": request_id, "ok": False, "kind": "document", "error": type(e).__name__})
    # Stdin closed: the service is gone, perhaps killed without a chance to stop the office.
    # Ending it here keeps a crashed server from leaving an office behind.
    try:
        desktop.terminate()
    except Exception:  # noqa: BLE001 - already gone
        pass
    return 0


def close(document):
    try:
        document.close(True)
    except Exception:  # noqa: BLE001 - a close veto or a dead frame: dispose instead
        try:
            document.dispose()
        except Exception:  # noqa: BLE001
            pass


if __name__ == "__main__":
    sys.exit(main())
