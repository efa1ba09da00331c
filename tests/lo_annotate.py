"""Comment a DOCX with LibreOffice itself, through its UNO bridge, as a reviewer using LibreOffice would.

Runs with Debian's /usr/bin/python3 (python3-uno), not the project's virtual environment:

    /usr/bin/python3 tests/lo_annotate.py IN.docx OUT.docx AUTHOR 'heading text' 'comment' ['cell text' 'comment' ...]

Each (text, comment) pair: the first paragraph (or table cell) whose text contains `text` gets a
comment (a LibreOffice annotation) by AUTHOR over that paragraph. A pair whose comment starts with
'+' instead appends the rest to that paragraph as a tracked change (recorded under AUTHOR, the
profile's user name, as LibreOffice does). The document is saved as DOCX.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def paragraphs(text_obj):
    """Every paragraph of a text, descending into tables."""
    enum = text_obj.createEnumeration()
    while enum.hasMoreElements():
        el = enum.nextElement()
        if el.supportsService("com.sun.star.text.Paragraph"):
            yield el
        elif el.supportsService("com.sun.star.text.TextTable"):
            for name in el.getCellNames():
                yield from paragraphs(el.getCellByName(name).getText())


def set_user_name(ctx, author):
    """Tracked changes carry the user's name from LibreOffice's settings (Tools → Options → User Data)."""
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    given, _, family = author.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def main(argv):
    src, dst, author = argv[1], argv[2], argv[3]
    pairs = list(zip(argv[4::2], argv[5::2]))
    profile = tempfile.mkdtemp(prefix="lo-profile-uno-")
    pipe = f"gb{uuid.uuid4().hex[:10]}"
    office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                               "--norestore", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        if ctx is None:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        # the model alone, without a frame or view: Debian's libreoffice-writer-nogui has no UI files for
        # the comments sidebar, and a view with comments would crash it
        doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
        doc.load((prop("URL", uno.systemPathToFileUrl(os.path.abspath(src))), prop("FilterName", "MS Word 2007 XML")))
        set_user_name(ctx, author)
        for needle, comment in pairs:
            target = next((p for p in paragraphs(doc.getText()) if needle in p.getString()
                           and not p.ParaStyleName.startswith("Contents")), None)  # not the TOC's entry
            if target is None:
                raise SystemExit(f"no paragraph with {needle!r}")
            if comment.startswith("+"):
                doc.RecordChanges = True
                end = target.getText().createTextCursorByRange(target.getEnd())
                target.getText().insertString(end, comment[1:], False)
                doc.RecordChanges = False
                continue
            note = doc.createInstance("com.sun.star.text.textfield.Annotation")
            note.Author = author
            note.Initials = "".join(w[0] for w in author.split())[:3]
            note.Content = comment
            when = uno.createUnoStruct("com.sun.star.util.DateTime")
            when.Year, when.Month, when.Day, when.Hours, when.Minutes = 2026, 12, 3, 11, 0
            note.DateTimeValue = when
            text = target.getText()
            cursor = text.createTextCursorByRange(target.getStart())
            cursor.gotoEndOfParagraph(True)
            text.insertTextContent(cursor, note, True)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (prop("FilterName", "MS Word 2007 XML"),))
        doc.dispose()
        try:
            desktop.terminate()
        except Exception:
            pass
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:  # soffice.bin is a child of the soffice script: end the group
            os.killpg(office.pid, signal.SIGKILL)
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
