"""A small IMAP4rev1 server on loopback for the segur-mssante IMAP client test.

Python's standard library only (socket + ssl): greeting, CAPABILITY, STARTTLS (required before
anything else), AUTHENTICATE XOAUTH2 (token checked) or EXTERNAL (TLS client certificate
required), SELECT, UID SEARCH (UNSEEN or UID n:*), UID FETCH (BODY[] / BODY.PEEK[]), UID STORE
+FLAGS (\\Seen), LOGOUT. The messages are DIR/<uid>.eml. Commands are logged to DIR/commands.log
(AUTHENTICATE arguments are not). Not a general IMAP server: the client under test only needs
these commands, each served the way RFC 3501 describes.

usage: imap_server.py PORT DIR CERT KEY CA MODE [TOKEN]     MODE = cert | xoauth2
"""

import base64
import os
import re
import socket
import ssl
import sys

port, folder, cert, key, ca, mode = sys.argv[1:7]
token = sys.argv[7] if len(sys.argv) > 7 else None

context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.minimum_version = ssl.TLSVersion.TLSv1_2
context.load_cert_chain(cert, key)
if mode == "cert":
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(ca)

messages = {
    int(name[:-4]): open(os.path.join(folder, name), "rb").read()
    for name in os.listdir(folder)
    if re.fullmatch(r"\d+\.eml", name)
}
seen = set()
log = open(os.path.join(folder, "commands.log"), "a")


def serve(conn):
    f = conn.makefile("rb")
    tls = False
    authed = False
    selected = False

    def send(line):
        conn.sendall(line.encode() + b"\r\n")

    send("* OK IMAP4rev1 test server ready")
    while True:
        raw = f.readline()
        if not raw:
            return
        line = raw.decode().rstrip("\r\n")
        tag, _, rest = line.partition(" ")
        cmd, _, args = rest.partition(" ")
        cmd = cmd.upper()
        if cmd == "UID":
            sub, _, args = args.partition(" ")
            cmd = "UID " + sub.upper()
        log.write((line if cmd != "AUTHENTICATE" else tag + " AUTHENTICATE") + "\n")
        log.flush()
        if cmd == "CAPABILITY":
            caps = "IMAP4rev1 STARTTLS" if not tls else "IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=EXTERNAL"
            send("* CAPABILITY " + caps)
            send(tag + " OK")
        elif cmd == "STARTTLS" and not tls:
            send(tag + " OK begin TLS")
            conn = context.wrap_socket(conn, server_side=True)
            f = conn.makefile("rb")
            tls = True
        elif not tls:
            send(tag + " BAD STARTTLS first")
        elif cmd == "AUTHENTICATE":
            mech, _, ir = args.partition(" ")
            mech = mech.upper()
            if mech == "XOAUTH2" and mode == "xoauth2":
                fields = dict(
                    p.split("=", 1)
                    for p in base64.b64decode(ir).decode().split("\x01")
                    if "=" in p
                )
                if fields.get("auth") == "Bearer " + (token or ""):
                    authed = True
                    send(tag + " OK authenticated as " + fields.get("user", ""))
                else:
                    send("+ " + base64.b64encode(b'{"status":"401"}').decode())
                    f.readline()
                    send(tag + " NO [AUTHENTICATIONFAILED] invalid token")
            elif mech == "EXTERNAL" and mode == "cert" and conn.getpeercert():
                authed = True
                send(tag + " OK authenticated by certificate")
            else:
                send(tag + " NO [AUTHENTICATIONFAILED]")
        elif cmd == "LOGOUT":
            send("* BYE")
            send(tag + " OK")
            return
        elif not authed:
            send(tag + " NO authenticate first")
        elif cmd == "SELECT":
            selected = True
            send("* %d EXISTS" % len(messages))
            send("* OK [UIDVALIDITY 1]")
            send(tag + " OK [READ-WRITE] SELECT completed")
        elif not selected:
            send(tag + " BAD select first")
        elif cmd == "UID SEARCH":
            crit = args.upper()
            if crit == "UNSEEN":
                uids = [u for u in sorted(messages) if u not in seen]
            else:
                m = re.fullmatch(r"UID (\d+):\*", crit)
                if not m:
                    send(tag + " BAD criteria")
                    continue
                uids = [u for u in sorted(messages) if u >= int(m.group(1))]
                if not uids and messages:
                    uids = [max(messages)]  # n:* always matches the last message
            send("* SEARCH" + "".join(" %d" % u for u in uids))
            send(tag + " OK SEARCH completed")
        elif cmd == "UID FETCH":
            uid = int(args.split(" ", 1)[0])
            body = messages[uid]
            if "BODY.PEEK[]" not in args.upper():
                seen.add(uid)
            seq = sorted(messages).index(uid) + 1
            conn.sendall(
                b"* %d FETCH (UID %d BODY[] {%d}\r\n" % (seq, uid, len(body)) + body + b")\r\n"
            )
            send(tag + " OK FETCH completed")
        elif cmd == "UID STORE":
            uid = int(args.split(" ", 1)[0])
            if "\\SEEN" in args.upper():
                seen.add(uid)
            send(tag + " OK STORE completed")
        else:
            send(tag + " BAD unknown command")


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(port)))
listener.listen(4)
print("READY", flush=True)
while True:
    c, _ = listener.accept()
    try:
        serve(c)
    except (ssl.SSLError, OSError) as e:
        log.write("connection error: %s\n" % e)
        log.flush()
    finally:
        c.close()
